"""Two trees side by side: the cell logic of bench/compare.py. See bench/README.md.

A *cell* is one wrk run of one page at one concurrency against one side ("current": this
working tree, "ref": a git ref's tree). Both sides run at once, each on its own gunicorn, against
the same database with the same settings; their cells alternate, and the order flips every pass
(ABAB..., then BABA...), so drift on a noisy machine (another job starting, caches warming,
tables growing under POSTs) falls on both sides alike. Each figure is the median over the
passes; the ratio is the median of the per-pass ratios (current / ref, measured seconds apart).

The pure pieces (order, medians, ratios, the migration check) are tested in tests/bench/.
"""

import io
import re
import shutil
import statistics
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

SIDES = ("current", "ref")
# A migration module of any app: <app>/migrations/<name>.py, packages' __init__ aside.
MIGRATION = re.compile(r"(?:^|/)migrations/(?!__init__\.py$)[^/]+\.py$")


# -- the order of the cells and the arithmetic ------------------------------------------------
def cell_order(keys, concurrencies, passes):
    """(pass, key, concurrency, side) in running order: within a pass every page and
    concurrency runs on both sides back to back, current first on even passes (ABAB...), ref
    first on odd ones (BABA...)."""
    cells = []
    for number in range(passes):
        sides = SIDES if number % 2 == 0 else SIDES[::-1]
        for key in keys:
            for concurrency in concurrencies:
                cells += [(number, key, concurrency, side) for side in sides]
    return cells


def median(values):
    """The median of the values that exist (None: a run with no answer); None if none do."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def ratio(current, ref):
    """current / ref, or None when either is missing or ref is zero."""
    if current is None or not ref:
        return None
    return current / ref


METRICS = ("rps", "p50_ms", "p95_ms", "p99_ms")


def summarize(cells):
    """Per (key, concurrency): each side's medians over the passes and the paired ratios.

    `cells` holds dicts with pass, key, concurrency, side and result (run.wrk's dict, or None
    when the side could not run the page). `ratio` is the median over passes of current req/s
    divided by ref req/s of the same pass (above 1: the current tree is faster), `p95_ratio`
    the same for p95 (below 1: the current tree answers sooner)."""
    grouped = {}
    for cell in cells:
        group = grouped.setdefault((cell["key"], cell["concurrency"]), {})
        group.setdefault(cell["pass"], {})[cell["side"]] = cell["result"]
    summary = {}
    for (key, concurrency), passes in grouped.items():
        entry = {}
        for side in SIDES:
            results = [runs[side] for runs in passes.values() if runs.get(side)]
            entry[side] = (
                {
                    **{metric: median(r[metric] for r in results) for metric in METRICS},
                    "errors": sum(r["errors"] for r in results),
                    "passes": len(results),
                }
                if results
                else None
            )
        for name, metric in (("ratio", "rps"), ("p95_ratio", "p95_ms")):
            entry[name] = median(
                ratio(
                    (runs.get("current") or {}).get(metric),
                    (runs.get("ref") or {}).get(metric),
                )
                for runs in passes.values()
            )
        summary[(key, concurrency)] = entry
    return summary


# -- the migration check -----------------------------------------------------------------------
def migration_files(listing):
    """{path: blob id} of the migration modules in a tree's {path: blob id} listing."""
    return {path: blob for path, blob in listing.items() if MIGRATION.search(path)}


def schema_diff(current, ref):
    """How two trees' migrations differ: files only in one of them, and files in both with
    different contents. Empty lists everywhere: the trees expect the same schema."""
    return {
        "only_current": sorted(set(current) - set(ref)),
        "only_ref": sorted(set(ref) - set(current)),
        "changed": sorted(path for path in set(current) & set(ref) if current[path] != ref[path]),
    }


def schema_diff_message(diff, ref):
    if not any(diff.values()):
        return ""
    lines = [f"The migrations of this tree and of {ref} differ, so they expect different schemas:"]
    for name, title in (
        ("only_current", "only in this tree"),
        ("only_ref", f"only in {ref}"),
        ("changed", "changed"),
    ):
        lines += [f"  {title}: {path}" for path in diff[name]]
    lines.append(
        "Both trees run against the same database. Compare with a ref that has the same "
        "migrations, or pass --allow-schema-diff if the difference does not matter to the pages "
        "(the database then has this tree's schema)."
    )
    return "\n".join(lines)


def git(root, *args, data=False):
    completed = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, check=False, timeout=120
    )
    if completed.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {completed.stderr.decode().strip()}")
    return completed.stdout if data else completed.stdout.decode()


def resolve_ref(root, ref):
    return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()


def ref_listing(root, commit):
    """{path: blob id} of every file in a commit."""
    listing = {}
    for line in git(root, "ls-tree", "-r", "--full-tree", commit).splitlines():
        meta, path = line.split("\t", 1)
        listing[path] = meta.split()[2]
    return listing


def working_migrations(root):
    """{path: blob id} of the migration modules in the working tree as it is on disk
    (uncommitted and untracked, not ignored files included)."""
    names = git(root, "ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    paths = [name for name in names if MIGRATION.search(name) and (Path(root) / name).is_file()]
    if not paths:
        return {}
    blobs = git(root, "hash-object", "--", *paths).split()
    return dict(zip(paths, blobs, strict=True))


@contextmanager
def exported_tree(root, commit):
    """The commit's files in a temporary directory (git archive: no worktree, no branch),
    removed afterwards. A `.env` of this tree is copied along: both sides get the same
    settings."""
    workdir = Path(tempfile.mkdtemp(prefix="jcrm-compare-ref-"))
    try:
        archive = git(root, "archive", "--format=tar", commit, data=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(workdir, filter="data")
        if (Path(root) / ".env").is_file():
            shutil.copy2(Path(root) / ".env", workdir / ".env")
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# -- the two servers ---------------------------------------------------------------------------
@dataclass
class Side:
    name: str  # "current" or "ref"
    root: Path
    label: str  # what it is: "working tree", "main~5 (abc1234)"
    port: int | None = None
    jars: dict = field(default_factory=dict)
    runnable: set = field(default_factory=set)  # page keys that passed the check
    notes: dict = field(default_factory=dict)  # page key -> note
    measured: dict = field(default_factory=dict)  # page key -> measure.py's result


def check_side(side, pages):
    """Each page once on this side (run.check_page), its note kept per side."""
    from run import check_page

    for page in pages:
        if not page.paths:
            continue
        probe = replace(page, note="", results={})
        if check_page(side.port, probe, side.jars.get(page.user)):
            side.runnable.add(page.key)
        if probe.note:
            side.notes[page.key] = probe.note


def run_cells(sides, pages, args, workdir, progress=print, login=None):
    """Every cell in cell_order; returns the cells with their wrk results.

    `login(side)` (if given) gives the side fresh session cookies before each of its cells:
    a login on one side may re-hash the user's password with that tree's hasher (when the two
    trees' password hashers differ), which ends the user's sessions on the other side, whose
    pages would then answer a cheap redirect to the login page instead of the page."""
    from run import run_wrk, wait_until_idle

    by_key = {page.key: page for page in pages}
    by_name = {side.name: side for side in sides}
    order = cell_order([page.key for page in pages], args.concurrency, args.passes)
    cells = []
    for index, (number, key, concurrency, name) in enumerate(order, 1):
        side, page = by_name[name], by_key[key]
        result = None
        if key in side.runnable:
            progress(
                f"  [{index}/{len(order)}] pass {number + 1}, {page.label}, c={concurrency}, "
                f"{name} ...",
                flush=True,
            )
            wait_until_idle(side.port)
            if login is not None:
                side.jars = login(side)
            result = run_wrk(side.port, page, side.jars.get(page.user), concurrency, args, workdir)
        cells.append(
            {"pass": number, "key": key, "concurrency": concurrency, "side": name, "result": result}
        )
    return cells


# -- the report --------------------------------------------------------------------------------
def _num(value, digits=0):
    return "-" if value is None else f"{value:.{digits}f}"


def load_table(pages, concurrencies, summary):
    header = [
        "page",
        "c",
        "current req/s",
        "ref req/s",
        "ratio",
        "current p50 / p95 ms",
        "ref p50 / p95 ms",
        "p95 ratio",
        "errors",
    ]
    rows = []
    for page in pages:
        for concurrency in concurrencies:
            entry = summary.get((page.key, concurrency))
            if entry is None:
                continue
            cur, ref = entry["current"] or {}, entry["ref"] or {}
            rows.append(
                [
                    page.label,
                    str(concurrency),
                    _num(cur.get("rps"), 1),
                    _num(ref.get("rps"), 1),
                    _num(entry["ratio"], 2),
                    f"{_num(cur.get('p50_ms'))} / {_num(cur.get('p95_ms'))}",
                    f"{_num(ref.get('p50_ms'))} / {_num(ref.get('p95_ms'))}",
                    _num(entry["p95_ratio"], 2),
                    f"{cur.get('errors', '-')} / {ref.get('errors', '-')}",
                ]
            )
    return header, rows


def sql_table(pages, sides):
    """In-process, per side: queries, the page's own SQL time, the page time, and their
    quotient (the target: page time at most 3x its SQL)."""
    header = ["page", "side", "queries", "SQL ms", "page ms", "page / SQL", "note"]
    rows = []
    for page in pages:
        for side in sides:
            result = side.measured.get(page.key) or {}
            rows.append(
                [
                    page.label,
                    side.name,
                    _num(result.get("queries")),
                    _num(result.get("sql_ms"), 1),
                    _num(result.get("page_ms"), 1),
                    _num(ratio(result.get("page_ms"), result.get("sql_ms")), 1),
                    "; ".join(
                        note
                        for note in (page.note, result.get("note"), side.notes.get(page.key))
                        if note
                    ),
                ]
            )
    return header, rows
