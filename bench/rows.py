#!/usr/bin/env python
"""Time the list pages and the REST API lists in-process, at 25 and 100 rows. See bench/README.md.

No server and no network: Django's test client (logged in as the coordinator) asks each list
for its first page, in alternating cells (every list once per round, `--rounds` rounds), so
noise from other work on the machine spreads evenly over all of them. Prints, per list and
row count: the median time of a request, the median time spent waiting on SQL inside it, the
number of queries and the size of the answer.

    .venv/bin/python bench/rows.py [--rounds 30] [--rows 25,100] [--lists visit_list,api_visits]

`--profile` runs each chosen cell `--rounds` times under cProfile instead and prints, per cell,
the functions with the most time of their own and the share of the request spent under the
template engine, the database driver and model instance building.

    .venv/bin/python bench/rows.py --profile --rows 100 --lists stock_list --rounds 20
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import pick_targets, print_table, server_env, setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="requests per cell (default 30)")
    parser.add_argument("--rows", default="25,100", help="comma-separated page sizes")
    parser.add_argument("--lists", default="", help="comma-separated subset of the list keys")
    parser.add_argument("--coordinator", default="coord001", help="coordinator's username")
    parser.add_argument("--technician", default="", help="technician (default: busiest)")
    parser.add_argument("--markdown", type=Path, help="also write the table here (Markdown)")
    parser.add_argument("--profile", action="store_true", help="cProfile each cell instead")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    args = parser.parse_args()
    args.password = ""
    args.rows = [int(n) for n in args.rows.split(",") if n.strip()]
    args.lists = [key.strip() for key in args.lists.split(",") if key.strip()]
    return args


def build_lists(targets):
    """(key, label, path, page-size parameter) of every list measured."""
    from django.urls import reverse

    week = {
        "assigned_to": targets["technician"].pk,
        "date_from": targets["monday"].isoformat(),
        "date_to": targets["sunday"].isoformat(),
    }
    return [
        ("site_list", "Site list", reverse("portal:site_list"), {}, "per_page"),
        (
            "visit_list",
            "Visits: technician + week",
            reverse("scheduling:visit_list"),
            week,
            "per_page",
        ),
        ("visit_all", "Visits (all)", reverse("scheduling:visit_list"), {}, "per_page"),
        (
            "stock_list",
            "Stock by quantity",
            reverse("inventory:item_list"),
            {"ordering": "quantity"},
            "per_page",
        ),
        ("low_stock", "Low stock", reverse("inventory:low_stock"), {}, "per_page"),
        (
            "inspection_list",
            "Inspection list",
            reverse("inspections:inspection_list"),
            {},
            "per_page",
        ),
        ("board", "Dispatch board", reverse("scheduling:board"), {}, "per_page"),
        ("api_visits", "API visits", "/api/v1/visits/", {}, "page_size"),
        ("api_stock", "API stock", "/api/v1/stock-items/", {}, "page_size"),
        ("api_sites", "API sites", "/api/v1/sites/", {}, "page_size"),
        ("api_inspections", "API inspections", "/api/v1/inspections/", {}, "page_size"),
    ]


def main():
    args = parse_args()
    setup_django(server_env())
    import logging

    from django.db import connection
    from django.test import Client

    logging.disable(logging.ERROR)
    targets = pick_targets(args)
    client = Client(raise_request_exception=False)
    client.force_login(targets["coordinator"])
    lists = [row for row in build_lists(targets) if not args.lists or row[0] in args.lists]
    cells = []
    for key, label, path, params, size_param in lists:
        for rows in args.rows:
            url = f"{path}?{urlencode({**params, size_param: rows})}"
            cells.append({"key": key, "label": label, "rows": rows, "url": url, "t": [], "sql": []})

    sql_time = [0.0, 0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - start
            sql_time[1] += 1

    if args.profile:
        for cell in cells:
            client.get(cell["url"])  # warm up
            profile_cell(client, cell, args.rounds, args.top)
        return
    with connection.execute_wrapper(timed):
        for cell in cells:  # warm up: caches, compiled templates, the first connection
            response = client.get(cell["url"])
            if response.status_code != 200:
                sys.exit(f"{cell['url']}: HTTP {response.status_code}")
            cell["bytes"] = len(response.content)
        for _ in range(args.rounds):
            for cell in cells:
                sql_time[:] = [0.0, 0]
                start = time.perf_counter()
                response = client.get(cell["url"])
                cell["t"].append(time.perf_counter() - start)
                cell["sql"].append(sql_time[0])
                cell["queries"] = sql_time[1]
    header = ["list", "rows", "median ms", "SQL ms", "× SQL", "queries", "KB"]
    table = []
    for cell in cells:
        page_ms = statistics.median(cell["t"]) * 1000
        sql_ms = statistics.median(cell["sql"]) * 1000
        table.append(
            [
                cell["label"],
                str(cell["rows"]),
                f"{page_ms:.1f}",
                f"{sql_ms:.1f}",
                f"{page_ms / sql_ms:.1f}" if sql_ms else "-",
                str(cell["queries"]),
                f"{cell['bytes'] / 1024:.0f}",
            ]
        )
    print_table(header, table)
    if args.markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        args.markdown.write_text("\n".join(lines) + "\n")


def profile_groups():
    """Where a request's time goes: (label, functions), matched by their code objects. Shares
    are cumulative and may overlap (a filter inside an include counts under both)."""
    from django.db.backends.utils import CursorWrapper
    from django.db.models import Model
    from django.db.models.sql.compiler import SQLCompiler
    from django.forms.boundfield import BoundField
    from django.template.base import FilterExpression, Template
    from django.template.loader_tags import IncludeNode
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode
    from django.urls import base as urls

    return [
        ("templates (Template.render)", [Template.render]),
        ("{% include %}", [IncludeNode.render]),
        ("{% translate %}/{% blocktranslate %}", [TranslateNode.render, BlockTranslateNode.render]),
        ("variables and filters", [FilterExpression.resolve]),
        ("get_FOO_display", [Model._get_FIELD_display]),
        ("URL reversing", [urls.reverse]),
        ("filter form fields", [BoundField.__str__]),
        ("model instances", [Model.from_db.__func__]),
        ("SQL compile", [SQLCompiler.as_sql]),
        ("SQL execute (driver, waiting)", [CursorWrapper.execute]),
    ]


def profile_cell(client, cell, rounds, top):
    """Run one cell `rounds` times under cProfile; print the top functions and the groups."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(rounds):
        client.get(cell["url"])
    profiler.disable()
    elapsed = (time.perf_counter() - start) / rounds * 1000
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)
    print(f"\n== {cell['label']}, {cell['rows']} rows: {elapsed:.1f} ms a request under cProfile")
    for name, functions in profile_groups():
        keys = {
            (f.__code__.co_filename, f.__code__.co_firstlineno, f.__code__.co_name)
            for f in functions
        }
        cumulative = sum(stat[3] for key, stat in stats.stats.items() if key in keys)
        print(f"  {name:<38} {cumulative / total:5.0%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()
