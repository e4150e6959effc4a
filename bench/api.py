#!/usr/bin/env python
"""Load-test the REST API at a real company's size. See bench/README.md.

The same machinery as bench/run.py (gunicorn on 127.0.0.1, wrk, query counts), but every
request carries a personal API token (`Authorization: Bearer ...`) instead of a session, and
the lists ask for 100 rows. Resources this version of the API does not have are skipped with a
note. Every run is bounded in time and talks to 127.0.0.1 only.

    .venv/bin/python bench/api.py [--duration 10] [--concurrency 8] [--workers 3]
"""

import argparse
import json
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from run import (
    Page,
    describe_data,
    describe_machine,
    ensure_wrk,
    gunicorn,
    http_request,
    lua_string,
    markdown_table,
    pick_inspector,
    pick_targets,
    print_table,
    server_env,
    setup_django,
    table,
    wait_until_idle,
    wrk,
)

ENDPOINT_KEYS = ["visits", "stock", "sites", "inspection_post"]
PAGE_SIZE = 100
INSPECTION = {"score": 88, "findings": "Benchmark walk-through: lobby glass streaked."}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument(
        "--concurrency", default="8", help="comma-separated connections (default 8)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4)")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before wrk counts a timeout error"
    )
    parser.add_argument(
        "--endpoints",
        default=",".join(ENDPOINT_KEYS),
        help=f"subset of: {','.join(ENDPOINT_KEYS)}",
    )
    parser.add_argument("--coordinator", default="coord001", help="coordinator's username")
    parser.add_argument(
        "--technician", default="", help="technician's username (default: busiest this week)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here (Markdown)")
    parser.add_argument("--json", type=Path, help="also write the raw results here (JSON)")
    args = parser.parse_args()
    args.password = ""  # pick_targets' default; tokens need no password
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = set(args.endpoints) - set(ENDPOINT_KEYS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    if not 1 <= args.workers <= 8 or args.duration < 1 or not args.concurrency:
        parser.error("use 1-8 workers, a duration of at least 1 s and at least one concurrency")
    return args


def issue_tokens(users):
    """A personal token per user, named so it can be found and revoked afterwards."""
    from api.services import api_token_create

    return {role: api_token_create(user=user, name="bench/api.py")[1] for role, user in users}


def api_path(name, query):
    from django.urls import NoReverseMatch, reverse

    try:
        return f"{reverse(name)}?{urlencode(query)}", ""
    except NoReverseMatch:
        return None, f"skipped: no {name} in this version of the API"


def build_endpoints(args, targets, inspection_site):
    endpoints = []
    for key, label, name, query in (
        (
            "visits",
            "Visits of one technician",
            "api:v1:visit-list",
            {"assigned_to": targets["technician"].pk, "page_size": PAGE_SIZE},
        ),
        (
            "stock",
            "Stock by quantity",
            "api:v1:stock-item-list",
            {"ordering": "quantity", "page_size": PAGE_SIZE},
        ),
        (
            "sites",
            "Sites by name",
            "api:v1:site-list",
            {"ordering": "name", "page_size": PAGE_SIZE},
        ),
    ):
        path, note = api_path(name, query)
        endpoints.append(Page(key, label, "coordinator", "GET", [path] if path else [], note=note))
    path, note = api_path("api:v1:inspection-list", {})
    endpoints.append(
        Page(
            "inspection_post",
            "POST inspection (JSON)",
            "inspector",
            "POST",
            [path.rstrip("?")] if path else [],
            body=json.dumps({"site": inspection_site.pk, **INSPECTION}),
            note=note,
        )
    )
    return [endpoint for endpoint in endpoints if endpoint.key in args.endpoints]


def headers_for(endpoint, raw_token):
    headers = {"Authorization": f"Bearer {raw_token}", "Accept": "application/json"}
    if endpoint.method == "POST":
        headers["Content-Type"] = "application/json"
    return headers


def rows_in(content):
    try:
        return len(json.loads(content)["results"])
    except (ValueError, KeyError, TypeError):
        return None


def count_queries(endpoints, tokens):
    """Each endpoint once through Django's test client with its token: SQL queries (the second
    of two requests, so one-off caches do not count) and, for lists, the rows answered."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.disable(logging.ERROR)
    for endpoint in endpoints:
        if not endpoint.paths:
            continue
        client = Client(raise_request_exception=False)
        headers = headers_for(endpoint, tokens[endpoint.user])
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                if endpoint.method == "POST":
                    response = client.post(
                        endpoint.paths[0],
                        endpoint.body,
                        content_type="application/json",
                        headers=headers,
                    )
                else:
                    response = client.get(endpoint.paths[0], headers=headers)
        endpoint.queries = len(captured.captured_queries)
        if response.status_code >= 400:
            endpoint.note = endpoint.note or f"HTTP {response.status_code}"
        elif endpoint.method == "GET":
            endpoint.note = endpoint.note or f"{rows_in(response.content)} rows"
    logging.disable(logging.NOTSET)


def check_endpoint(port, endpoint, raw_token):
    """One request before the load: a GET must answer 200, the POST 201."""
    body = endpoint.body.encode() if endpoint.method == "POST" else None
    try:
        status, _, _ = http_request(
            port,
            endpoint.method,
            endpoint.paths[0],
            body=body,
            headers=headers_for(endpoint, raw_token),
            timeout=120,
        )
    except OSError as error:
        endpoint.note = f"no answer before the load: {error}"
        return
    if status != (201 if endpoint.method == "POST" else 200):
        endpoint.note = f"HTTP {status} before the load"


def wrk_setup(endpoint, raw_token):
    setup = [
        f"wrk.headers[{lua_string(name)}] = {lua_string(value)}"
        for name, value in headers_for(endpoint, raw_token).items()
    ]
    if endpoint.method == "POST":
        setup += ['wrk.method = "POST"', f"wrk.body = {lua_string(endpoint.body)}"]
    return setup


def main():
    args = parse_args()
    ensure_wrk()
    # The per-token rate limit (1,200/minute by default) would turn the load into 429s.
    env = {**server_env(), "API_RATE_PER_TOKEN": "100000000/minute"}
    setup_django(env)
    targets = pick_targets(args)
    inspector, inspection_site = pick_inspector()
    endpoints = build_endpoints(args, targets, inspection_site)
    tokens = issue_tokens([("coordinator", targets["coordinator"]), ("inspector", inspector)])
    machine, data = describe_machine(), describe_data()
    print(f"Machine: {machine}\nData: {data}")
    print(
        f"Coordinator {targets['coordinator'].username}, technician "
        f"{targets['technician'].username}, inspector {inspector.username} at "
        f"{inspection_site.site_code}"
    )
    for endpoint in endpoints:
        if not endpoint.paths:
            print(f"  {endpoint.label}: {endpoint.note}")
    count_queries(endpoints, tokens)
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="jcrm-bench-api-") as workdir,
        gunicorn(env, args.workers, Path(workdir) / "gunicorn.log") as port,
    ):
        runnable = [endpoint for endpoint in endpoints if endpoint.paths]
        for endpoint in runnable:
            check_endpoint(port, endpoint, tokens[endpoint.user])
        for endpoint in runnable:
            for concurrency in args.concurrency:
                print(f"  {endpoint.label} at concurrency {concurrency} ...", flush=True)
                wait_until_idle(port)
                setup = wrk_setup(endpoint, tokens[endpoint.user])
                endpoint.results[concurrency] = wrk(
                    port, endpoint, setup, concurrency, args, workdir
                )
    header, rows = table(endpoints, args.concurrency)
    header[0] = "endpoint"
    machine += f", load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after"
    print(f"\n{machine}\ngunicorn {args.workers} sync workers, {args.duration} s per run\n")
    print_table(header, rows)
    if args.markdown:
        args.markdown.write_text(
            f"Machine: {machine}. Data: {data}. gunicorn {args.workers} sync workers, "
            f"{args.duration} s per run.\n\n{markdown_table(header, rows)}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "data": data,
                    "workers": args.workers,
                    "duration": args.duration,
                    "endpoints": [
                        {
                            "key": e.key,
                            "label": e.label,
                            "path": e.paths[0] if e.paths else None,
                            "queries": e.queries,
                            "note": e.note,
                            "results": e.results,
                        }
                        for e in endpoints
                    ],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
