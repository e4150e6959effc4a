#!/usr/bin/env python
"""Compare this tree with a git ref, side by side on the same database. See bench/README.md.

Exports the ref's tree (git archive) to a temporary directory, refuses if its migrations differ
from this tree's (unless --allow-schema-diff), starts one gunicorn per tree with identical
settings, and runs wrk cells alternating between the two (ABAB, then BABA on the next pass).
Prints per page: req/s and p50/p95 of each side and the ratio current / ref (median over the
passes), and each side's in-process SQL time and page time.

    .venv/bin/python bench/compare.py --ref main~5 [--passes 3] [--duration 10] [--concurrency 8]
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import paired
from run import (
    PAGE_KEYS,
    ROOT,
    add_common_arguments,
    build_pages,
    describe_data,
    describe_machine,
    ensure_wrk,
    gunicorn,
    log_in_roles,
    markdown_table,
    page_spec,
    prepare_targets,
    print_table,
    server_env,
    session_users,
    setup_django,
)

# The issue's table: one technician's visits, stock by quantity, sites by name, the inspection
# form POST and the login.
DEFAULT_PAGES = "visits_tech,stock_by_quantity,site_list,inspection_create,login"
API_KEYS = ["visits", "stock", "sites", "inspection_post"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", required=True, help="the git ref to compare with (main~5, HEAD)")
    parser.add_argument("--passes", type=int, default=3, help="passes, medians taken (default 3)")
    parser.add_argument(
        "--allow-schema-diff",
        action="store_true",
        help="run even if the ref's migrations differ from this tree's",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per cell (default 10)")
    parser.add_argument(
        "--concurrency", default="8", help="comma-separated connections (default 8)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4)")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before wrk counts a timeout error"
    )
    parser.add_argument("--pages", default=DEFAULT_PAGES, help=f"subset of: {','.join(PAGE_KEYS)}")
    parser.add_argument(
        "--endpoints", default="", help=f"REST API endpoints too, subset of: {','.join(API_KEYS)}"
    )
    parser.add_argument("--coordinator", default="coord001", help="coordinator's username")
    parser.add_argument(
        "--technician", default="", help="technician's username (default: busiest this week)"
    )
    parser.add_argument("--password", default="", help="default: the large seed's password")
    parser.add_argument("--post-url", default="", help="as in run.py")
    parser.add_argument("--post-data", default="kind=restock&quantity=1&note=benchmark")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    args.endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = (set(args.pages) - set(PAGE_KEYS)) | (set(args.endpoints) - set(API_KEYS))
    if unknown:
        parser.error(f"unknown pages or endpoints: {', '.join(sorted(unknown))}")
    if not 1 <= args.workers <= 8 or args.duration < 1 or not args.concurrency:
        parser.error("use 1-8 workers, a duration of at least 1 s and at least one concurrency")
    if args.passes < 1:
        parser.error("use at least one pass")
    return args


def check_schema(commit, args):
    diff = paired.schema_diff(
        paired.working_migrations(ROOT),
        paired.migration_files(paired.ref_listing(ROOT, commit)),
    )
    message = paired.schema_diff_message(diff, args.ref)
    if message and not args.allow_schema_diff:
        sys.exit(message)
    if message:
        print(f"{message}\n(--allow-schema-diff: going on)", flush=True)
    return diff


def api_endpoints(args, targets):
    """bench/api.py's endpoints, as pages that carry their token in a header."""
    if not args.endpoints:
        return []
    # Loaded by file: the name `api` is the project's REST API app.
    spec = importlib.util.spec_from_file_location("bench_api", Path(__file__).with_name("api.py"))
    bench_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_api)
    if targets.get("inspector") is None:
        targets["inspector"], targets["inspection_site"] = bench_api.pick_inspector()
    endpoints = bench_api.build_endpoints(
        argparse.Namespace(endpoints=args.endpoints), targets, targets["inspection_site"]
    )
    tokens = bench_api.issue_tokens(
        [("coordinator", targets["coordinator"]), ("inspector", targets["inspector"])]
    )
    for endpoint in endpoints:
        endpoint.key = f"api_{endpoint.key}"
        endpoint.label = f"API: {endpoint.label}"
        endpoint.headers = bench_api.headers_for(endpoint, tokens[endpoint.user])
        endpoint.headers.pop("Content-Type", None)
        endpoint.user = "token"
        if endpoint.method == "POST":
            endpoint.content_type = "json"
            endpoint.expect = (201,)
    return endpoints


def measure_side(side, pages, users, env, repeats):
    """bench/measure.py in a child process running the side's own code."""
    request = {
        "users": users,
        "repeats": repeats,
        "pages": [page_spec(page) for page in pages if page.paths],
    }
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("measure.py")), "--root", str(side.root)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"},
        timeout=1800,
        check=False,
    )
    if completed.returncode != 0:
        print(f"  in-process measure of {side.name} failed:\n{completed.stderr[-2000:]}")
        return
    side.measured = {result["key"]: result for result in json.loads(completed.stdout)}


def report(args, pages, sides, summary, machine, data):
    header, rows = paired.load_table(pages, args.concurrency, summary)
    sql_header, sql_rows = paired.sql_table(pages, sides)
    per_page = f", ?per_page={args.per_page} on lists" if args.per_page else ""
    intro = (
        f"current = {sides[0].label}, ref = {sides[1].label}. {machine}. {data}. gunicorn "
        f"{args.workers} sync workers per side, {args.duration} s per cell, {args.passes} "
        f"pass(es), medians{per_page}. ratio = current / ref req/s (above 1: current faster); "
        "p95 ratio below 1: current answers sooner."
    )
    print(f"\n{intro}\n")
    print_table(header, rows)
    print()
    print_table(sql_header, sql_rows)
    if args.markdown:
        args.markdown.write_text(
            f"{intro}\n\n{markdown_table(header, rows)}\nIn-process (Django test client, median of "
            f"{args.sql_repeats}):\n\n{markdown_table(sql_header, sql_rows)}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "ref": args.ref,
                    "sides": {side.name: side.label for side in sides},
                    "machine": machine,
                    "data": data,
                    "workers": args.workers,
                    "duration": args.duration,
                    "passes": args.passes,
                    "per_page": args.per_page or None,
                    "pages": [
                        {
                            "key": page.key,
                            "label": page.label,
                            "path": page.paths[0] if page.paths else None,
                            "note": page.note,
                            "in_process": {
                                side.name: side.measured.get(page.key) for side in sides
                            },
                            "check": {side.name: side.notes.get(page.key, "") for side in sides},
                            "results": {
                                str(c): summary.get((page.key, c)) for c in args.concurrency
                            },
                        }
                        for page in pages
                    ],
                },
                indent=2,
            )
        )


def main():
    args = parse_args()
    try:
        commit = paired.resolve_ref(ROOT, args.ref)
    except RuntimeError:
        sys.exit(f"{args.ref!r} is not a commit in this repository.")
    check_schema(commit, args)
    ensure_wrk()
    # One environment for both sides: same SECRET_KEY, workers, settings; no API rate limit.
    env = {**server_env(), "API_RATE_PER_TOKEN": "100000000/minute"}
    setup_django(env)
    targets = prepare_targets(args)
    pages = build_pages(args, targets) + api_endpoints(args, targets)
    machine, data = describe_machine(), describe_data()
    print(f"Machine: {machine}\nData: {data}\nref {args.ref} = {commit[:12]}", flush=True)
    with ExitStack() as stack:
        ref_root = stack.enter_context(paired.exported_tree(ROOT, commit))
        sides = [
            paired.Side("current", ROOT, "this working tree"),
            paired.Side("ref", ref_root, f"{args.ref} ({commit[:10]})"),
        ]
        users = session_users(targets, pages)
        for side in sides:
            print(f"  in-process SQL and page time, {side.name} ...", flush=True)
            measure_side(side, pages, users, env, args.sql_repeats)
        load_before = os.getloadavg()[0]
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jcrm-compare-")))
        for side in sides:
            log = workdir / f"gunicorn-{side.name}.log"
            side.port = stack.enter_context(gunicorn(env, args.workers, log, root=side.root))
            side.jars = log_in_roles(side.port, targets, pages)
            paired.check_side(side, pages)
        cells = paired.run_cells(
            sides, pages, args, workdir, login=lambda side: log_in_roles(side.port, targets, pages)
        )
    summary = paired.summarize(cells)
    machine += f", load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after"
    report(args, pages, sides, summary, machine, data)


if __name__ == "__main__":
    main()
