#!/usr/bin/env python
"""Load-test the pages that matter at a real company's size. See bench/README.md.

Starts gunicorn on 127.0.0.1 against the configured DATABASE_URL, logs in through the real login
form as a coordinator and a technician of the large demo data set, drives each page with wrk
for a fixed time at each concurrency, and prints requests/s, latency percentiles, errors and the
SQL query count of each page. Every run is bounded in time and talks to 127.0.0.1 only.

    .venv/bin/python bench/run.py [--duration 10] [--concurrency 1,8,32] [--workers 3]
"""

import argparse
import datetime as dt
import http.client
import json
import logging
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PAGE_KEYS = [
    "site_list",
    "visit_list",
    "board",
    "low_stock",
    "inspection_list",
    "site_hub",
    "my_day",
    "stock_post",
]
# How many different items the POST spreads its stock movements over.
POST_ITEMS = 50


@dataclass
class Page:
    key: str
    label: str
    user: str  # "coordinator" or "technician"
    method: str
    paths: list
    body: str = ""
    note: str = ""
    queries: int | None = None
    results: dict = field(default_factory=dict)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument(
        "--concurrency", default="1,8,32", help="comma-separated connections (default 1,8,32)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4)")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before wrk counts a timeout error"
    )
    parser.add_argument(
        "--pages", default=",".join(PAGE_KEYS), help=f"subset of: {','.join(PAGE_KEYS)}"
    )
    parser.add_argument("--coordinator", default="coord001", help="coordinator's username")
    parser.add_argument(
        "--technician", default="", help="technician's username (default: busiest this week)"
    )
    parser.add_argument("--password", default="", help="default: the large seed's password")
    parser.add_argument(
        "--post-url",
        default="",
        help="stock movement URL with {pk} for the item (default: inventory:movement_create)",
    )
    parser.add_argument(
        "--post-data",
        default="kind=restock&quantity=1&note=benchmark",
        help="form body of the POST (the CSRF token is sent in a header)",
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here (Markdown)")
    parser.add_argument("--json", type=Path, help="also write the raw results here (JSON)")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGE_KEYS)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if not 1 <= args.workers <= 8 or args.duration < 1 or not args.concurrency:
        parser.error("use 1-8 workers, a duration of at least 1 s and at least one concurrency")
    return args


def ensure_wrk():
    """wrk from Debian's packages; installed with apt-get when missing and we are root."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install it with `sudo apt-get install wrk` and run again.")
    print("Installing wrk from Debian's packages ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        timeout=300,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )


def server_env():
    """Production-like settings (DEBUG off) that still work over plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "False",
        "LOG_LEVEL": "WARNING",
    }


def setup_django(env):
    # Without collectstatic whitenoise warns about the missing STATIC_ROOT: irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    # The in-process test client (query counts) also needs "testserver".
    os.environ.update({**env, "ALLOWED_HOSTS": f"{HOST},testserver"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "janitorial_crm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- what to measure ---------------------------------------------------------------------------
def pick_targets(args):
    """The users, site, week and items the pages are measured with."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from demo.large import LARGE_PASSWORD
    from inventory.models import SupplyInventory
    from janitorial_crm.roles import Role
    from scheduling.models import CleaningSchedule
    from sites.models import ClientSite

    User = get_user_model()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    coordinator = User.objects.filter(username__iexact=args.coordinator).first()
    if coordinator is None or coordinator.role != Role.COORDINATOR:
        sys.exit(
            f"No coordinator {args.coordinator!r}: load the large data set first "
            "(seed_demo --scale large) or name one with --coordinator."
        )
    week = CleaningSchedule.objects.between(monday, sunday)
    if args.technician:
        technician = User.objects.filter(username__iexact=args.technician).first()
    else:
        busiest = (
            week.filter(assigned_to__username__regex=r"^tech[0-9]+$")
            .values("assigned_to")
            .annotate(n=Count("pk"))
            .order_by("-n", "assigned_to")
            .first()
        )
        technician = busiest and User.objects.get(pk=busiest["assigned_to"])
    if technician is None or technician.role != Role.TECHNICIAN:
        sys.exit("No technician with visits this week: load the large data set or --technician.")
    site_row = (
        week.filter(assigned_to=technician)
        .values("site")
        .annotate(n=Count("pk"))
        .order_by("-n", "site")
        .first()
    )
    site = site_row and ClientSite.objects.get(pk=site_row["site"])
    items = list(SupplyInventory.objects.order_by("pk").values_list("pk", flat=True)[:POST_ITEMS])
    return {
        "coordinator": coordinator,
        "technician": technician,
        "password": args.password or LARGE_PASSWORD,
        "monday": monday,
        "sunday": sunday,
        "site": site,
        "items": items,
    }


def build_pages(args, targets):
    from django.urls import NoReverseMatch, reverse

    tech, site = targets["technician"], targets["site"]
    week = urlencode(
        {
            "assigned_to": tech.pk,
            "date_from": targets["monday"].isoformat(),
            "date_to": targets["sunday"].isoformat(),
        }
    )
    post_note = ""
    if args.post_url:
        post_paths = [args.post_url.format(pk=pk) for pk in targets["items"]]
    else:
        try:
            post_paths = [
                reverse("inventory:movement_create", kwargs={"pk": pk}) for pk in targets["items"]
            ]
        except NoReverseMatch:
            post_paths, post_note = [], "no inventory:movement_create URL; use --post-url"
    pages = [
        Page("site_list", "Site list", "coordinator", "GET", [reverse("portal:site_list")]),
        Page(
            "visit_list",
            "Visits: technician + week",
            "coordinator",
            "GET",
            [f"{reverse('scheduling:visit_list')}?{week}"],
        ),
        Page("board", "Dispatch board", "coordinator", "GET", [reverse("scheduling:board")]),
        Page("low_stock", "Low stock", "coordinator", "GET", [reverse("inventory:low_stock")]),
        Page(
            "inspection_list",
            "Inspection list",
            "coordinator",
            "GET",
            [reverse("inspections:inspection_list")],
        ),
        Page(
            "site_hub",
            "Site hub",
            "coordinator",
            "GET",
            [reverse("portal:site_detail", kwargs={"code": site.site_code})] if site else [],
        ),
        Page("my_day", "My day (technician)", "technician", "GET", [reverse("scheduling:my_day")]),
        Page(
            "stock_post",
            "POST stock movement",
            "coordinator",
            "POST",
            post_paths,
            body=args.post_data,
            note=post_note,
        ),
    ]
    return [page for page in pages if page.key in args.pages]


def count_queries(pages, targets):
    """Each page once through Django's test client against the same database: SQL queries.

    Measured on the second request, so one-off caches (content types, sessions) do not count.
    """
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # A broken page is reported in the table, not as a traceback on the console.
    logging.disable(logging.ERROR)
    clients = {}
    for role in ("coordinator", "technician"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(targets[role])
    for page in pages:
        if not page.paths:
            continue
        client = clients[page.user]
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                if page.method == "POST":
                    data = QueryDict(page.body).dict()
                    response = client.post(page.paths[0], data)
                else:
                    response = client.get(page.paths[0])
        page.queries = len(captured.captured_queries)
        if response.status_code >= 400:
            error = response.exc_info[1] if response.exc_info else None
            reason = f": {type(error).__name__}: {error}"[:120] if error else ""
            page.note = page.note or f"HTTP {response.status_code}{reason}"
    logging.disable(logging.NOTSET)


# -- the server and the load -----------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, workers, log_path):
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "janitorial_crm.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"gunicorn exited early:\n{Path(log_path).read_text()[-3000:]}")
            try:
                status, _, _ = http_request(port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def http_request(port, method, path, body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return response.status, response.headers, content
    finally:
        connection.close()


def cookies_from(headers, jar):
    for value in headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(value)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


def cookie_header(jar):
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def login(port, username, password):
    """Log in through the real form (CSRF and all), once: django-axes counts failures."""
    from django.conf import settings

    status, headers, content = http_request(port, "GET", "/accounts/login/")
    jar = cookies_from(headers, {})
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or not match:
        sys.exit(f"The login page answered {status} without a CSRF token.")
    form = urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
    )
    status, headers, _ = http_request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        },
    )
    cookies_from(headers, jar)
    if status != 302 or settings.SESSION_COOKIE_NAME not in jar:
        sys.exit(f"Login as {username} failed (HTTP {status}): wrong --password?")
    return jar


LUA = """
{setup}
local paths = {{{paths}}}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50\\": %d, \\"p95\\": %d, " ..
    "\\"p99\\": %d, \\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, \\"status\\": %d, " ..
    "\\"timeout\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_string(value):
    # JSON string syntax is valid Lua for the ASCII we send (paths, cookies, form bodies).
    if not value.isascii():
        raise ValueError(f"non-ASCII value in a wrk script: {value!r}")
    return json.dumps(value)


def run_wrk(port, page, jar, concurrency, args, workdir):
    from django.conf import settings

    setup = [f'wrk.headers["Cookie"] = {lua_string(cookie_header(jar))}']
    if page.method == "POST":
        setup += [
            'wrk.method = "POST"',
            f"wrk.body = {lua_string(page.body)}",
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            f'wrk.headers["X-CSRFToken"] = {lua_string(jar.get(settings.CSRF_COOKIE_NAME, ""))}',
        ]
    return wrk(port, page, setup, concurrency, args, workdir)


def wrk(port, page, setup, concurrency, args, workdir):
    """Drive `page.paths` (in turn) for `args.duration` s; `setup` is Lua run once (headers,
    method, body)."""
    script = Path(workdir) / f"{page.key}.lua"
    paths = ", ".join(lua_string(path) for path in page.paths)
    script.write_text(LUA.format(setup="\n".join(setup), paths=paths))
    command = [
        "wrk",
        "-t",
        str(min(2, concurrency)),
        "-c",
        str(concurrency),
        "-d",
        f"{args.duration}s",
        "--timeout",
        f"{args.timeout}s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{page.paths[0]}",
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + args.timeout + 60
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line[len("BENCH ") :])
    # wrk counts a response slower than --timeout as a request and a timeout error, and keeps
    # it out of the latency histogram: with nothing else answered there are no percentiles.
    answered = raw["requests"] > raw["timeout"]
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50"] / 1000 if answered else None,
        "p95_ms": raw["p95"] / 1000 if answered else None,
        "p99_ms": raw["p99"] / 1000 if answered else None,
        "errors": sum(raw[k] for k in ("connect", "read", "write", "status", "timeout")),
        "requests": raw["requests"],
    }


def wait_until_idle(port, limit=180):
    """Let the workers finish what the previous run queued before measuring the next page.

    Sync workers go on serving connections accepted before wrk stopped; without this wait the
    next page would be measured behind them."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            http_request(port, "GET", "/healthz", timeout=limit)
        except OSError:
            time.sleep(1)
            continue
        if time.monotonic() - started < 0.25:
            return
    print("  (the server is still busy; measuring anyway)", flush=True)


def check_page(port, page, jar):
    """One request before the load: a GET must answer 200 (not a redirect to the login)."""
    from django.conf import settings

    headers = {"Cookie": cookie_header(jar)}
    body = None
    if page.method == "POST":
        headers["X-CSRFToken"] = jar.get(settings.CSRF_COOKIE_NAME, "")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = page.body
    try:
        status, _, _ = http_request(
            port, page.method, page.paths[0], body=body, headers=headers, timeout=120
        )
    except OSError as error:
        page.note = page.note or f"no answer before the load: {error}"
        return
    expected = (200, 302, 303) if page.method == "POST" else (200,)
    if status not in expected:
        page.note = page.note or f"HTTP {status} before the load"


# -- the report --------------------------------------------------------------------------------
def describe_machine():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores{memory}, Python {platform.python_version()}, {version}"


def describe_data():
    from inspections.models import SiteInspectionLog
    from inventory.models import SupplyInventory
    from scheduling.models import CleaningSchedule
    from sites.models import ClientSite

    counts = [
        (model._meta.verbose_name_plural, model.objects.count())
        for model in (ClientSite, CleaningSchedule, SupplyInventory, SiteInspectionLog)
    ]
    return ", ".join(f"{n:,} {name}" for name, n in counts)


def table(pages, concurrencies):
    header = ["page", "c", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "queries", "note"]
    rows = []
    for page in pages:
        for concurrency in concurrencies:
            result = page.results.get(concurrency)
            if result:
                latencies = [result[f"{p}_ms"] for p in ("p50", "p95", "p99")]
                cells = [
                    f"{result['rps']:.1f}",
                    *("-" if ms is None else f"{ms:.0f}" for ms in latencies),
                    str(result["errors"]),
                ]
            else:
                cells = ["-"] * 5
            queries = "-" if page.queries is None else str(page.queries)
            rows.append([page.label, str(concurrency), *cells, queries, page.note])
    return header, rows


def print_table(header, rows):
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    ensure_wrk()
    env = server_env()
    setup_django(env)
    targets = pick_targets(args)
    pages = build_pages(args, targets)
    machine, data = describe_machine(), describe_data()
    print(f"Machine: {machine}\nData: {data}")
    print(
        f"Coordinator {targets['coordinator'].username}, technician "
        f"{targets['technician'].username}, site "
        f"{targets['site'].site_code if targets['site'] else '-'}, week {targets['monday']}"
    )
    count_queries(pages, targets)
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="jcrm-bench-") as workdir,
        gunicorn(env, args.workers, Path(workdir) / "gunicorn.log") as port,
    ):
        jars = {
            role: login(port, targets[role].username, targets["password"])
            for role in ("coordinator", "technician")
        }
        runnable = [page for page in pages if page.paths]
        for page in runnable:
            check_page(port, page, jars[page.user])
        for page in runnable:
            for concurrency in args.concurrency:
                print(f"  {page.label} at concurrency {concurrency} ...", flush=True)
                wait_until_idle(port)
                page.results[concurrency] = run_wrk(
                    port, page, jars[page.user], concurrency, args, workdir
                )
    header, rows = table(pages, args.concurrency)
    # Other work on the machine skews every number: say how busy it was.
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
                    "pages": [
                        {
                            "key": p.key,
                            "label": p.label,
                            "queries": p.queries,
                            "note": p.note,
                            "results": p.results,
                        }
                        for p in pages
                    ],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
