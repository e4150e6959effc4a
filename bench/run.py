#!/usr/bin/env python
"""Load-test the pages that matter at a real company's size. See bench/README.md.

Starts gunicorn on 127.0.0.1 against the configured DATABASE_URL, logs in through the real login
form as a coordinator and a technician of the large demo data set, drives each page with wrk
for a fixed time at each concurrency, and prints requests/s, latency percentiles, errors and the
SQL query count of each page. Every run is bounded in time and talks to 127.0.0.1 only.

    .venv/bin/python bench/run.py [--duration 10] [--concurrency 1,8,32] [--workers 3]

The server, login and wrk helpers here are shared with bench/api.py and bench/compare.py
(which runs them against two trees, see bench/paired.py).
"""

import argparse
import datetime as dt
import http.client
import json
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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from measure import measure_pages

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PAGE_KEYS = [
    "site_list",
    "visit_list",
    "visits_tech",
    "stock_by_quantity",
    "board",
    "low_stock",
    "inspection_list",
    "site_hub",
    "my_day",
    "stock_post",
    "inspection_create",
    "login",
]
# How many different items the POST spreads its stock movements over.
POST_ITEMS = 50
# How many different accounts the login load spreads over (one row lock per account).
LOGIN_USERS = 20


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
    kind: str = "page"  # "page", or "login": GET the form then POST it, with a fresh jar
    list_page: bool = False  # a paginated list: gets ?per_page= with --per-page
    expect: tuple = (200,)  # the statuses that count as success before the load
    bodies: list = field(default_factory=list)  # login: one form body per account, in turn
    headers: dict = field(default_factory=dict)  # sent with every request (API tokens)
    content_type: str = "form"  # or "json"
    sql_ms: float | None = None  # in-process: the page's own SQL time
    page_ms: float | None = None  # in-process: the same request end to end


def with_query(path, **params):
    """`path` with `params` set in its query string (replacing a value already there)."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def apply_per_page(pages, per_page):
    """Ask every list page for `per_page` rows (a tree that ignores ?per_page= shows 25)."""
    if per_page:
        for page in pages:
            if page.list_page:
                page.paths = [with_query(path, per_page=per_page) for path in page.paths]
    return pages


def page_steps(page):
    """The (method, path, body) requests wrk sends for a page, in turn."""
    if page.kind == "login":
        return [
            step
            for body in page.bodies
            for step in (("GET", page.paths[0], ""), ("POST", page.paths[0], body))
        ]
    return [(page.method, path, page.body) for path in page.paths]


def page_spec(page):
    """What bench/measure.py needs to request a page in-process (JSON-safe)."""
    return {
        "key": page.key,
        "kind": page.kind,
        "user": page.user,
        "method": page.method,
        "paths": page.paths,
        "body": page.bodies[0] if page.kind == "login" and page.bodies else page.body,
        "headers": page.headers,
        "content_type": page.content_type,
        "expect": [302] if page.kind == "login" else list(page.expect),
    }


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
    add_common_arguments(parser)
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGE_KEYS)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if not 1 <= args.workers <= 8 or args.duration < 1 or not args.concurrency:
        parser.error("use 1-8 workers, a duration of at least 1 s and at least one concurrency")
    return args


def add_common_arguments(parser):
    parser.add_argument(
        "--per-page",
        type=int,
        default=0,
        help="ask list pages for N rows (?per_page=N; default: the page's own)",
    )
    parser.add_argument(
        "--sql-repeats",
        type=int,
        default=5,
        help="in-process requests per page for SQL and page time (median; default 5)",
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here (Markdown)")
    parser.add_argument("--json", type=Path, help="also write the raw results here (JSON)")


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
    login_users = list(
        User.objects.filter(username__regex=r"^tech[0-9]+$", is_active=True)
        .order_by("username")
        .values_list("username", flat=True)[:LOGIN_USERS]
    ) or [coordinator.username]
    return {
        "coordinator": coordinator,
        "technician": technician,
        "password": args.password or LARGE_PASSWORD,
        "monday": monday,
        "sunday": sunday,
        "site": site,
        "items": items,
        "login_users": login_users,
    }


def pick_inspector():
    """The first inspector of the data set and a site they are assigned to (they may file
    inspections there)."""
    from janitorial_crm.roles import Role
    from sites.models import SiteMembership

    membership = (
        SiteMembership.objects.filter(user__groups__name=Role.INSPECTOR, user__is_active=True)
        .select_related("user", "site")
        .order_by("user__username", "site__site_code")
        .first()
    )
    if membership is None:
        sys.exit("No inspector assigned to a site: load the large data set first.")
    return membership.user, membership.site


def inspection_body(site):
    """The inspection form as a phone sends it: a visit-less inspection yesterday at 10:00
    (never in the future, whatever the site's time zone)."""
    from django.utils import timezone

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return urlencode(
        {
            "site": site.pk,
            "schedule": "",
            "inspection_date": f"{yesterday.isoformat()}T10:00",
            "score": 88,
            "findings": "Benchmark walk-through: lobby glass streaked.",
            "corrective_actions": "",
            "internal_notes": "",
        }
    )


def build_pages(args, targets):
    """The pages named in `args.pages`. `targets` may carry "inspector" and "inspection_site"
    (pick_inspector) for the inspection POST."""
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
    inspection_site = targets.get("inspection_site")
    login_url = reverse("login")
    pages = [
        Page(
            "site_list",
            "Site list (by name)",
            "coordinator",
            "GET",
            [reverse("portal:site_list")],
            list_page=True,
        ),
        Page(
            "visit_list",
            "Visits: technician + week",
            "coordinator",
            "GET",
            [f"{reverse('scheduling:visit_list')}?{week}"],
            list_page=True,
        ),
        Page(
            "visits_tech",
            "Visits of one technician",
            "coordinator",
            "GET",
            [with_query(reverse("scheduling:visit_list"), assigned_to=tech.pk)],
            list_page=True,
        ),
        Page(
            "stock_by_quantity",
            "Stock by quantity",
            "coordinator",
            "GET",
            [with_query(reverse("inventory:item_list"), ordering="quantity")],
            list_page=True,
        ),
        Page("board", "Dispatch board", "coordinator", "GET", [reverse("scheduling:board")]),
        Page(
            "low_stock",
            "Low stock",
            "coordinator",
            "GET",
            [reverse("inventory:low_stock")],
            list_page=True,
        ),
        Page(
            "inspection_list",
            "Inspection list",
            "coordinator",
            "GET",
            [reverse("inspections:inspection_list")],
            list_page=True,
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
            expect=(200, 302, 303),
        ),
        Page(
            "inspection_create",
            "POST inspection (form)",
            "inspector",
            "POST",
            [reverse("inspections:inspection_create")] if inspection_site else [],
            body=inspection_body(inspection_site) if inspection_site else "",
            expect=(302,),
        ),
        Page(
            "login",
            "Login (GET form + POST)",
            "anonymous",
            "POST",
            [login_url],
            kind="login",
            bodies=[
                urlencode({"username": name, "password": targets["password"]})
                for name in targets["login_users"]
            ],
            expect=(302,),
            note="2 requests per login: logins/s = req/s / 2",
        ),
    ]
    pages = [page for page in pages if page.key in args.pages]
    return apply_per_page(pages, args.per_page)


def needs_inspector(args):
    return "inspection_create" in args.pages


def count_queries(pages, users, repeats=5, measure=None):
    """Each page through Django's test client against the same database: SQL queries, SQL time
    and page time (bench/measure.py). `users` maps a role to a username; `measure` runs the
    specs (default: in this process, this tree's code)."""
    specs = [page_spec(page) for page in pages if page.paths]
    results = (measure or measure_pages)(specs, users, repeats)
    by_key = {result["key"]: result for result in results}
    for page in pages:
        result = by_key.get(page.key)
        if result is None:
            continue
        page.queries, page.sql_ms, page.page_ms = (
            result["queries"],
            result["sql_ms"],
            result["page_ms"],
        )
        page.note = page.note or result["note"]


def session_users(targets, pages):
    """role -> username for the roles the pages are requested as (force_login in-process)."""
    roles = {page.user for page in pages} - {"anonymous", "token"}
    return {role: targets[role].username for role in sorted(roles)}


# -- the server and the load -----------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, workers, log_path, root=ROOT):
    """gunicorn serving the tree at `root` (its code, its templates) on a free port."""
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
        "--chdir",
        str(root),
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)
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


def csrf_jar(port, path="/accounts/login/"):
    """A new browser's cookie jar after the login form: the CSRF cookie only, no session."""
    status, headers, _ = http_request(port, "GET", path)
    if status != 200:
        sys.exit(f"The login page answered {status}.")
    return cookies_from(headers, {})


LUA = """
{setup}
local steps = {{{steps}}}
local counter = 0
request = function()
  counter = counter + 1
  local step = steps[(counter % #steps) + 1]
  return wrk.format(step[1], step[2], nil, step[3])
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


def request_headers(page, jar, csrf_cookie_name="csrftoken"):
    """The headers of every request of a page: cookies, CSRF token for POSTs, the page's own."""
    headers = {}
    if jar:
        headers["Cookie"] = cookie_header(jar)
    if page.method == "POST" and page.content_type == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if jar:
            headers["X-CSRFToken"] = jar.get(csrf_cookie_name, "")
    elif page.method == "POST":
        headers["Content-Type"] = "application/json"
    return {**headers, **page.headers}


def warm_logins(port, page, headers):
    """Log every account of the login load in once, one after the other, before it is measured.

    An account whose password hash was made with other parameters than this tree's hasher (the
    data set seeded by an older tree, or the other side of bench/compare.py, whose logins re-hash
    with its own hasher) is re-hashed at its first login: verifying a Django-default Argon2 hash
    (100 MiB, 8 lanes) and hashing again costs ~5x a login, and wrk's threads send each account
    twice at once. Measured, that one-off upgrade of 20 accounts took most of a 5 s run."""
    for body in page.bodies:
        status, _, _ = http_request(
            port, "POST", page.paths[0], body=body, headers=headers, timeout=120
        )
        if status != 302:
            # Never repeat a failing login: django-axes locks the account out.
            raise RuntimeError(f"A login before the load answered {status}, not 302.")


def run_wrk(port, page, jar, concurrency, args, workdir):
    from django.conf import settings

    headers = request_headers(page, jar, settings.CSRF_COOKIE_NAME)
    if page.kind == "login":
        warm_logins(port, page, headers)
    setup = [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    return wrk(port, page, setup, concurrency, args, workdir)


def wrk(port, page, setup, concurrency, args, workdir):
    """Drive the page's requests (page_steps, in turn) for `args.duration` s; `setup` is Lua run
    once (headers; a body or method set there is used where a step has none)."""
    script = Path(workdir) / f"{page.key}.lua"
    steps = ", ".join(
        f"{{{lua_string(method)}, {lua_string(path)}, {lua_string(body) if body else 'nil'}}}"
        for method, path, body in page_steps(page)
    )
    script.write_text(LUA.format(setup="\n".join(setup), steps=steps))
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
    """One request before the load: a GET must answer 200 (not a redirect to the login), a
    POST what `page.expect` says (the inspection form 302: 200 is the form with errors).

    Returns whether the page may be loaded: a failing login is never repeated (django-axes
    locks the account out after a few failures, for both trees of a comparison)."""
    from django.conf import settings

    method, path, body = page_steps(page)[-1]
    if page.kind == "login":
        jar = csrf_jar(port, path)
    headers = request_headers(page, jar, settings.CSRF_COOKIE_NAME)
    try:
        status, _, _ = http_request(
            port, method, path, body=body or None, headers=headers, timeout=120
        )
    except OSError as error:
        page.note = f"no answer before the load: {error}"
        return False
    if status not in page.expect:
        page.note = f"HTTP {status} before the load (expected {'/'.join(map(str, page.expect))})"
        return page.kind != "login"
    return True


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
    header = [
        "page",
        "c",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "queries",
        "SQL ms",
        "page ms",
        "note",
    ]
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
            rows.append(
                [
                    page.label,
                    str(concurrency),
                    *cells,
                    queries,
                    fmt_ms(page.sql_ms),
                    fmt_ms(page.page_ms),
                    page.note,
                ]
            )
    return header, rows


def fmt_ms(ms):
    return "-" if ms is None else f"{ms:.1f}"


def print_table(header, rows):
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def prepare_targets(args):
    targets = pick_targets(args)
    if needs_inspector(args):
        targets["inspector"], targets["inspection_site"] = pick_inspector()
    return targets


def log_in_roles(port, targets, pages):
    """A cookie jar per role the pages are requested as, each logged in through the form;
    "anonymous" (the login load) gets a new browser's jar: the CSRF cookie only."""
    roles = {page.user for page in pages}
    jars = {
        role: login(port, targets[role].username, targets["password"])
        for role in sorted(roles - {"anonymous", "token"})
    }
    if "anonymous" in roles:
        jars["anonymous"] = csrf_jar(port)
    return jars


def load_pages(port, pages, jars, args, workdir):
    """Check every page once, then drive each at each concurrency (results on the pages)."""
    runnable = [
        page for page in pages if page.paths and check_page(port, page, jars.get(page.user))
    ]
    for page in runnable:
        for concurrency in args.concurrency:
            print(f"  {page.label} at concurrency {concurrency} ...", flush=True)
            wait_until_idle(port)
            page.results[concurrency] = run_wrk(
                port, page, jars.get(page.user), concurrency, args, workdir
            )


def main():
    args = parse_args()
    ensure_wrk()
    env = server_env()
    setup_django(env)
    targets = prepare_targets(args)
    pages = build_pages(args, targets)
    machine, data = describe_machine(), describe_data()
    print(f"Machine: {machine}\nData: {data}")
    print(
        f"Coordinator {targets['coordinator'].username}, technician "
        f"{targets['technician'].username}, site "
        f"{targets['site'].site_code if targets['site'] else '-'}, week {targets['monday']}"
    )
    count_queries(pages, session_users(targets, pages), args.sql_repeats)
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="jcrm-bench-") as workdir,
        gunicorn(env, args.workers, Path(workdir) / "gunicorn.log") as port,
    ):
        load_pages(port, pages, log_in_roles(port, targets, pages), args, workdir)
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
                            "path": p.paths[0] if p.paths else None,
                            "queries": p.queries,
                            "sql_ms": p.sql_ms,
                            "page_ms": p.page_ms,
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
