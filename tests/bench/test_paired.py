"""The pure pieces of the benchmark's compare mode: no server, no wrk, no database."""

import subprocess

import paired
import pytest
from compare import parse_args
from run import Page, apply_per_page, page_steps, with_query


def wrk_result(rps, p95=100.0, errors=0):
    return {"rps": rps, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2, "errors": errors}


def cell(number, side, result, key="sites", concurrency=8):
    return {
        "pass": number,
        "key": key,
        "concurrency": concurrency,
        "side": side,
        "result": result,
    }


# -- order -------------------------------------------------------------------------------------
def test_cells_alternate_sides_within_a_pass_and_flip_every_pass():
    order = paired.cell_order(["sites", "stock"], [8], passes=3)

    sides = [[side for number, _, _, side in order if number == n] for n in range(3)]
    assert sides[0] == ["current", "ref", "current", "ref"]
    assert sides[1] == ["ref", "current", "ref", "current"]
    assert sides[2] == sides[0]


def test_every_page_and_concurrency_runs_once_per_side_and_pass_back_to_back():
    order = paired.cell_order(["sites", "stock"], [1, 8], passes=2)

    assert len(order) == 2 * 2 * 2 * 2
    assert len(set(order)) == len(order)
    pairs = [order[i : i + 2] for i in range(0, len(order), 2)]
    for first, second in pairs:
        assert first[:3] == second[:3]
        assert {first[3], second[3]} == {"current", "ref"}
    assert [p[0][1:3] for p in pairs[:4]] == [
        ("sites", 1),
        ("sites", 8),
        ("stock", 1),
        ("stock", 8),
    ]


# -- arithmetic --------------------------------------------------------------------------------
def test_median_leaves_out_missing_values():
    assert paired.median([3, None, 1, 2]) == 2
    assert paired.median([4, 1]) == 2.5
    assert paired.median([None, None]) is None


def test_ratio_is_current_over_ref_and_none_without_both():
    assert paired.ratio(50, 25) == 2
    assert paired.ratio(None, 25) is None
    assert paired.ratio(50, 0) is None
    assert paired.ratio(50, None) is None


def test_summary_takes_medians_per_side_and_the_median_of_paired_ratios():
    cells = [
        cell(0, "current", wrk_result(100, p95=50)),
        cell(0, "ref", wrk_result(50, p95=100)),
        cell(1, "ref", wrk_result(200, p95=40)),
        cell(1, "current", wrk_result(300, p95=30, errors=1)),
        cell(2, "current", wrk_result(90, p95=60)),
        cell(2, "ref", wrk_result(100, p95=60)),
    ]

    entry = paired.summarize(cells)[("sites", 8)]

    assert entry["current"]["rps"] == 100
    assert entry["ref"]["rps"] == 100
    assert entry["current"]["p95_ms"] == 50
    assert entry["current"]["errors"] == 1
    assert entry["current"]["passes"] == 3
    # Per pass: 2.0, 1.5, 0.9 -> 1.5 (not 100 / 100: each pass is compared with its own pair).
    assert entry["ratio"] == pytest.approx(1.5)
    # p95 per pass: 0.5, 0.75, 1.0 -> 0.75.
    assert entry["p95_ratio"] == pytest.approx(0.75)


def test_summary_of_a_page_one_side_could_not_run_has_no_ratio():
    cells = [cell(0, "current", wrk_result(100)), cell(0, "ref", None)]

    entry = paired.summarize(cells)[("sites", 8)]

    assert entry["current"]["rps"] == 100
    assert entry["ref"] is None
    assert entry["ratio"] is None


def test_a_run_without_answers_has_no_latency_but_keeps_its_throughput():
    silent = {**wrk_result(0.5), "p50_ms": None, "p95_ms": None, "p99_ms": None}
    cells = [cell(0, "current", silent), cell(0, "ref", wrk_result(10))]

    entry = paired.summarize(cells)[("sites", 8)]

    assert entry["current"]["p95_ms"] is None
    assert entry["ratio"] == pytest.approx(0.05)
    assert entry["p95_ratio"] is None


# -- migrations --------------------------------------------------------------------------------
LISTING = {
    "sites/migrations/__init__.py": "e1",
    "sites/migrations/0001_initial.py": "a1",
    "sites/migrations/0002_site_name_index.py": "a2",
    "sites/models.py": "m1",
    "api/migrations/0001_initial.py": "b1",
    "docs/migrations.md": "d1",
}


def test_migration_files_are_the_migration_modules_only():
    assert paired.migration_files(LISTING) == {
        "sites/migrations/0001_initial.py": "a1",
        "sites/migrations/0002_site_name_index.py": "a2",
        "api/migrations/0001_initial.py": "b1",
    }


def test_same_migrations_mean_no_schema_difference():
    migrations = paired.migration_files(LISTING)

    diff = paired.schema_diff(migrations, dict(migrations))

    assert not any(diff.values())
    assert paired.schema_diff_message(diff, "main~5") == ""


def test_added_removed_and_edited_migrations_are_schema_differences():
    current = paired.migration_files(LISTING)
    ref = {**current, "sites/migrations/0001_initial.py": "other"}
    del ref["sites/migrations/0002_site_name_index.py"]
    ref["api/migrations/0002_token_scope.py"] = "b2"

    diff = paired.schema_diff(current, ref)

    assert diff == {
        "only_current": ["sites/migrations/0002_site_name_index.py"],
        "only_ref": ["api/migrations/0002_token_scope.py"],
        "changed": ["sites/migrations/0001_initial.py"],
    }
    message = paired.schema_diff_message(diff, "main~5")
    assert "only in this tree: sites/migrations/0002_site_name_index.py" in message
    assert "only in main~5: api/migrations/0002_token_scope.py" in message
    assert "--allow-schema-diff" in message


def test_an_uncommitted_migration_differs_from_the_committed_tree(tmp_path):
    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    (tmp_path / "sites" / "migrations").mkdir(parents=True)
    (tmp_path / "sites" / "migrations" / "__init__.py").write_text("")
    (tmp_path / "sites" / "migrations" / "0001_initial.py").write_text("# one\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    commit = paired.resolve_ref(tmp_path, "HEAD")
    committed = paired.migration_files(paired.ref_listing(tmp_path, commit))

    assert not any(paired.schema_diff(paired.working_migrations(tmp_path), committed).values())

    (tmp_path / "sites" / "migrations" / "0002_more.py").write_text("# two\n")
    (tmp_path / "sites" / "migrations" / "0001_initial.py").write_text("# edited\n")

    diff = paired.schema_diff(paired.working_migrations(tmp_path), committed)
    assert diff["only_current"] == ["sites/migrations/0002_more.py"]
    assert diff["changed"] == ["sites/migrations/0001_initial.py"]


def test_an_unknown_ref_is_refused(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)

    with pytest.raises(RuntimeError):
        paired.resolve_ref(tmp_path, "no-such-ref")


# -- URLs and requests -------------------------------------------------------------------------
def test_with_query_appends_and_replaces_parameters():
    assert with_query("/sites/", per_page=100) == "/sites/?per_page=100"
    assert (
        with_query("/stock/?ordering=quantity", per_page=100)
        == "/stock/?ordering=quantity&per_page=100"
    )
    assert with_query("/visits/?per_page=25&assigned_to=7", per_page=50) == (
        "/visits/?assigned_to=7&per_page=50"
    )


def test_per_page_goes_to_list_pages_only():
    pages = [
        Page("sites", "Sites", "coordinator", "GET", ["/sites/"], list_page=True),
        Page("board", "Board", "coordinator", "GET", ["/visits/board/"]),
    ]

    apply_per_page(pages, 100)

    assert pages[0].paths == ["/sites/?per_page=100"]
    assert pages[1].paths == ["/visits/board/"]
    assert apply_per_page([Page("s", "S", "c", "GET", ["/sites/"], list_page=True)], 0)[
        0
    ].paths == ["/sites/"]


def test_a_login_is_the_form_then_its_post_spread_over_accounts():
    page = Page(
        "login",
        "Login",
        "anonymous",
        "POST",
        ["/accounts/login/"],
        kind="login",
        bodies=["username=tech001&password=x", "username=tech002&password=x"],
    )

    assert page_steps(page) == [
        ("GET", "/accounts/login/", ""),
        ("POST", "/accounts/login/", "username=tech001&password=x"),
        ("GET", "/accounts/login/", ""),
        ("POST", "/accounts/login/", "username=tech002&password=x"),
    ]


def test_other_pages_send_their_paths_in_turn():
    page = Page("post", "POST", "coordinator", "POST", ["/stock/1/move/", "/stock/2/move/"], "a=1")

    assert page_steps(page) == [
        ("POST", "/stock/1/move/", "a=1"),
        ("POST", "/stock/2/move/", "a=1"),
    ]


def test_compare_defaults_to_three_passes_at_concurrency_8_and_refuses_unknown_pages():
    args = parse_args(["--ref", "main~5"])

    assert args.passes == 3
    assert args.concurrency == [8]
    assert not args.allow_schema_diff
    assert args.per_page == 0
    with pytest.raises(SystemExit):
        parse_args(["--ref", "main~5", "--pages", "nope"])
