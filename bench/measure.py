#!/usr/bin/env python
"""In-process measurement of pages: SQL queries, SQL time and page time. See bench/README.md.

Imported by bench/run.py (the tree it runs in), and run as a program by bench/compare.py for
each side of a comparison, with `--root` naming the tree whose code answers the requests:

    .venv/bin/python bench/measure.py --root /tmp/ref-tree < pages.json > results.json

Input (JSON): {"users": {"coordinator": "coord001", ...}, "repeats": 5, "pages": [spec, ...]}
with a spec per page as `page_spec()` in bench/run.py builds it. Output (JSON): one result per
page: queries (CaptureQueriesContext), sql_ms (the time spent in the database driver's
execute(), summed over the request's queries), page_ms (the same request end to end through
Django's test client), status and an error note. Each page is requested once to warm caches,
then `repeats` times; the medians of the repeats are reported.
"""

import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path


def _request(client, spec):
    from django.http import QueryDict

    headers = spec.get("headers") or {}
    if spec["method"] == "GET":
        return client.get(spec["paths"][0], headers=headers)
    if spec.get("content_type", "form") == "json":
        return client.post(
            spec["paths"][0], spec["body"], content_type="application/json", headers=headers
        )
    return client.post(spec["paths"][0], QueryDict(spec["body"]).dict(), headers=headers)


def _login_round(spec):
    """A login as a new browser does it: the form, then the POST, with a fresh cookie jar."""
    from django.http import QueryDict
    from django.test import Client

    client = Client(raise_request_exception=False)
    response = client.get(spec["paths"][0])
    if response.status_code != 200:
        return response
    return client.post(spec["paths"][0], QueryDict(spec["body"]).dict())


class SqlTimer:
    """An execute wrapper adding up the time spent in the database driver's execute(): the
    round trips and result transfer (CaptureQueriesContext's own times are rounded to 1 ms)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure_one(spec, clients, repeats):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for _ in range(1 + repeats):
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            started = time.perf_counter()
            if spec["kind"] == "login":
                response = _login_round(spec)
            else:
                response = _request(clients[spec["user"]], spec)
            page_s = time.perf_counter() - started
        samples.append((len(captured.captured_queries), timer.seconds * 1000, page_s * 1000))
    measured = samples[1:] or samples
    result = {
        "key": spec["key"],
        "queries": measured[-1][0],
        "sql_ms": statistics.median(s[1] for s in measured),
        "page_ms": statistics.median(s[2] for s in measured),
        "status": response.status_code,
        "note": "",
    }
    if response.status_code not in spec.get("expect", [200]):
        error = getattr(response, "exc_info", None)
        error = error[1] if error else None
        reason = f": {type(error).__name__}: {error}"[:120] if error else ""
        result["note"] = f"HTTP {response.status_code}{reason}"
    return result


def measure_pages(specs, users, repeats=5):
    """Measure each page spec; `users` maps a role to a username (force_login, no password)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    # A broken page is reported in the table, not as a traceback on the console.
    logging.disable(logging.ERROR)
    try:
        clients = {"token": Client(raise_request_exception=False)}
        for role, username in users.items():
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(User.objects.get(username=username))
        return [measure_one(spec, clients, repeats) for spec in specs if spec["paths"]]
    finally:
        logging.disable(logging.NOTSET)


def main():
    import argparse
    import warnings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the tree whose code answers")
    args = parser.parse_args()
    request = json.load(sys.stdin)
    # The tree under test comes first on the path: its settings, its views, its templates.
    sys.path.insert(0, str(args.root.resolve()))
    os.chdir(args.root)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "janitorial_crm.settings")
    import django

    django.setup()
    import janitorial_crm

    loaded_from = Path(janitorial_crm.__file__).resolve().parent.parent
    if loaded_from != args.root.resolve():
        sys.exit(f"measure.py loaded the app from {loaded_from}, not {args.root}")
    results = measure_pages(request["pages"], request["users"], request.get("repeats", 5))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
