#!/usr/bin/env python
"""Load-test live updates: many concurrent streams, a steady stream of changes. See
bench/README.md.

Starts the app under uvicorn on 127.0.0.1 against the configured DATABASE_URL (one worker with
the in-memory broker, two workers with Redis), opens `--subscribers` concurrent `/live/` streams
as users of the large demo data set (personal API tokens), makes `--rate` changes a second for
`--duration` seconds through the REST API as a coordinator (visits started or completed, stock
restocked), then checks every stream against the gate: each subscriber must have received every
change in its scope, once, and nothing else. Prints latency (from the event's publication,
the milliseconds of its id, to its receipt), deliveries, lost and unexpected events, and the
server's memory with every stream open. Every run is bounded in time and talks to 127.0.0.1
only.

    .venv/bin/python bench/live.py [--mode memory|redis|both] [--subscribers 1000]
        [--rate 5] [--duration 30]
"""

import argparse
import asyncio
import codecs
import concurrent.futures
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from run import (
    HOST,
    ROOT,
    describe_data,
    describe_machine,
    free_port,
    http_request,
    markdown_table,
    print_table,
    server_env,
    setup_django,
)

ROLES = ("coordinator", "technician", "inspector", "client")
DEFAULT_MIX = "technician:800,inspector:50,coordinator:50,client:100"
# The `types` filter of each role's streams, in turn (None: every type), as the pages and a
# program would ask: the board and My day listen to visits, the site hub to all four, ...
FILTERS = {
    "coordinator": (None, "visit", "visit,stock"),
    "technician": ("visit", "visit,stock", None),
    "inspector": ("inspection,action", "visit,stock,inspection,action"),
    "client": ("visit", None),
}
# What a client is told of a visit it sees only in a site's visit log.
SUMMARY_KEYS = frozenset({"id", "site", "change"})
TOKEN_NAME = "bench/live.py"  # noqa: S105 - a token's label, not a secret
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


# -- pure helpers (tests/bench/test_live.py) ---------------------------------------------------
def parse_mix(text):
    """ "technician:800,client:100" -> {"technician": 800, "client": 100}."""
    mix = {}
    for part in text.split(","):
        if not part.strip():
            continue
        role, _colon, count = part.partition(":")
        role = role.strip()
        if role not in ROLES or not count.strip().isdigit():
            raise ValueError(f"bad mix entry {part!r}: use role:count with a role of {ROLES}")
        mix[role] = mix.get(role, 0) + int(count)
    return mix


def allocate(mix, users_by_role):
    """The streams to open: `mix[role]` of them per role, spread in turn over that role's
    users (a user with several streams: several tabs or devices), each with the role's next
    `types` filter. Returns [(user, role, types)]."""
    plan = []
    for role, count in mix.items():
        users = users_by_role.get(role) or []
        if count and not users:
            raise ValueError(f"no {role} in the data set")
        filters = FILTERS[role]
        for i in range(count):
            plan.append((users[i % len(users)], role, filters[(i // len(users)) % len(filters)]))
    return plan


def parse_id(text):
    """(milliseconds, sequence) of an event id, or None."""
    ms, dash, seq = (text or "").partition("-")
    if not dash or not ms.isdigit() or not seq.isdigit():
        return None
    return int(ms), int(seq)


class ChunkedDecoder:
    """Undo HTTP/1.1 chunked transfer coding, fed bytes as they arrive."""

    def __init__(self):
        self.buffer = b""
        self.remaining = 0  # bytes of the current chunk still to come
        self.trailer = False  # the CRLF after a chunk's data is still to come
        self.done = False

    def feed(self, data):
        self.buffer += data
        out = []
        while not self.done:
            if self.remaining:
                piece = self.buffer[: self.remaining]
                out.append(piece)
                self.buffer = self.buffer[len(piece) :]
                self.remaining -= len(piece)
                if self.remaining:
                    break
                self.trailer = True
            if self.trailer:
                if len(self.buffer) < 2:
                    break
                self.buffer, self.trailer = self.buffer[2:], False
            line, crlf, rest = self.buffer.partition(b"\r\n")
            if not crlf:
                break
            size = int(line.split(b";")[0].strip() or b"0", 16)
            self.buffer = rest
            if size == 0:
                self.done = True
                break
            self.remaining = size
        return b"".join(out)


class SseParser:
    """Server-Sent Events frames out of text as it arrives: a frame is a dict of its fields
    (`id`, `event`, `data`, `retry`; data lines joined by newlines); comment lines (`: ping`)
    are counted in `comments`."""

    def __init__(self):
        self.buffer = ""
        self.comments = 0

    def feed(self, text):
        self.buffer += text.replace("\r\n", "\n")
        frames = []
        while "\n\n" in self.buffer:
            block, self.buffer = self.buffer.split("\n\n", 1)
            frame = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    self.comments += 1
                    continue
                name, _colon, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "data" and "data" in frame:
                    frame["data"] += "\n" + value
                else:
                    frame[name] = value
            if frame:
                frames.append(frame)
        return frames


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def compare(expected, received):
    """Check the streams against what they should have heard.

    `expected`: {stream: {(type, object id): "full" | "summary"}}; `received`: {stream:
    [((type, object id), data dict)]}. A delivery is an expected event received once with the
    right shape (a summary carries only id, site and change; the full event more). Returns
    counts: deliveries, lost (expected, never received), unexpected (received out of scope, or
    a summary's receiver given the full event, or the reverse) and duplicates, and up to ten
    examples of each problem."""
    result = {
        "deliveries": 0,
        "summaries": 0,
        "lost": 0,
        "unexpected": 0,
        "duplicates": 0,
        "examples": [],
    }

    def example(kind, stream, key):
        if len(result["examples"]) < 10:
            result["examples"].append((kind, stream, key))

    for stream in set(expected) | set(received):
        wanted = expected.get(stream, {})
        seen = set()
        for key, data in received.get(stream, []):
            if key in seen:
                result["duplicates"] += 1
                example("duplicate", stream, key)
                continue
            seen.add(key)
            shape = "summary" if set(data) <= SUMMARY_KEYS else "full"
            if wanted.get(key) == shape:
                result["deliveries"] += 1
                result["summaries"] += shape == "summary"
            else:
                result["unexpected"] += 1
                example(f"unexpected {shape}", stream, key)
        for key in wanted.keys() - seen:
            result["lost"] += 1
            example("lost", stream, key)
    return result


# -- the data: users, tokens, what to change, who should hear it -------------------------------
def pick_users():
    """Active users of each role, by username."""
    from django.contrib.auth import get_user_model

    from janitorial_crm.roles import Role

    roles = {
        "coordinator": Role.COORDINATOR,
        "technician": Role.TECHNICIAN,
        "inspector": Role.INSPECTOR,
        "client": Role.CLIENT,
    }
    User = get_user_model()
    return {
        key: list(User.objects.filter(groups__name=role, is_active=True).order_by("username"))
        for key, role in roles.items()
    }


def issue_tokens(users):
    """One personal token per user (named `bench/live.py`), created in the database."""
    from api.services import api_token_create

    return {user.pk: api_token_create(user=user, name=TOKEN_NAME)[1] for user in users}


@dataclass
class Change:
    type: str  # the stream's event type
    object_id: int
    site_id: int
    path: str
    body: dict
    status: int | None = None
    sent: float = 0.0
    answered: float = 0.0


def plan_changes(count, client_site_ids):
    """`count` changes, half visit status moves and half restocks, each on a different object.

    Visits of the last two weeks and today, newest first: a scheduled or completed one is
    started (a completed one reopened: the coordinator may), an in-progress one completed, so
    that runs can repeat on one database. Half of them are at sites with client members (the
    clients see those in their visit log: they hear a summary), half elsewhere. Restocks go to
    items at the same sites, one item per site."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from inventory.models import SupplyInventory
    from scheduling.models import CleaningSchedule, VisitStatus

    today = timezone.localdate()
    visits_wanted, restocks_wanted = (count + 1) // 2, count // 2
    recent = (
        CleaningSchedule.objects.filter(
            service_date__range=(today - dt.timedelta(days=14), today),
            status__in=[VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED],
        )
        .order_by("-service_date", "pk")
        .values_list("pk", "site_id", "status")
    )
    at_clients = list(recent.filter(site_id__in=client_site_ids)[: visits_wanted // 2])
    elsewhere = list(recent.exclude(site_id__in=client_site_ids)[: visits_wanted - len(at_clients)])
    rows = [row for pair in zip_longest(elsewhere, at_clients) for row in pair if row]
    picked = [
        (pk, site, "complete" if status == VisitStatus.IN_PROGRESS else "start")
        for pk, site, status in rows
    ]
    visits = [
        Change("visit", pk, site, reverse(f"api:v1:visit-{action}", args=[pk]), {})
        for pk, site, action in picked
    ]
    sites = list(dict.fromkeys(site for _pk, site, _action in picked))
    items = []
    seen_sites = set()
    for pk, site in (
        SupplyInventory.objects.filter(site_id__in=sites)
        .order_by("site_id", "pk")
        .values_list("pk", "site_id")
    ):
        if site not in seen_sites:
            seen_sites.add(site)
            items.append((pk, site))
    if len(items) < restocks_wanted:
        used = {pk for pk, _site in items}
        more = (
            SupplyInventory.objects.exclude(pk__in=used).order_by("pk").values_list("pk", "site_id")
        )
        items += list(more[: restocks_wanted - len(items)])
    restocks = [
        Change(
            "stock",
            pk,
            site,
            reverse("api:v1:stock-item-movements", args=[pk]),
            {"kind": "restock", "quantity": "1", "note": "bench/live.py"},
        )
        for pk, site in items[:restocks_wanted]
    ]
    if len(visits) < visits_wanted or len(restocks) < restocks_wanted:
        sys.exit("Not enough visits or stock items to change: load the large data set.")
    # Alternate: visit, stock, visit, ...
    mixed = []
    for i in range(max(len(visits), len(restocks))):
        mixed += visits[i : i + 1] + restocks[i : i + 1]
    return mixed


def client_sites():
    from janitorial_crm.roles import Role
    from sites.models import SiteMembership

    return set(
        SiteMembership.objects.filter(user__groups__name=Role.CLIENT).values_list(
            "site_id", flat=True
        )
    )


def expected_receivers(plan, changes):
    """{stream index: {(type, object id): "full" | "summary"}}, asked of each user's own gate
    (`Model.objects.for_user`, and a client's visit log) directly, one query per user and
    kind of object: the rule the server should follow, not its code path (live.scope)."""
    from inventory.models import SupplyInventory
    from scheduling.models import CleaningSchedule

    models = {"visit": CleaningSchedule, "stock": SupplyInventory}
    ids = {kind: [c.object_id for c in changes if c.type == kind] for kind in models}
    sees = {}
    for user in {user.pk: user for user, _role, _types in plan}.values():
        seen = {}
        for kind, model in models.items():
            full = set(
                model.objects.for_user(user).filter(pk__in=ids[kind]).values_list("pk", flat=True)
            )
            seen.update({(kind, pk): "full" for pk in full})
            if kind == "visit":
                log = CleaningSchedule.objects.in_visit_log(user).filter(pk__in=ids[kind])
                for pk in log.values_list("pk", flat=True):
                    seen.setdefault((kind, pk), "summary")
        sees[user.pk] = seen
    done = [c for c in changes if c.status in (200, 201)]
    expected = {}
    for index, (user, _role, types) in enumerate(plan):
        wanted = None if types is None else set(types.split(","))
        expected[index] = {
            (c.type, c.object_id): sees[user.pk][(c.type, c.object_id)]
            for c in done
            if (wanted is None or c.type in wanted) and (c.type, c.object_id) in sees[user.pk]
        }
    return expected


# -- the server ------------------------------------------------------------------------------
def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@contextmanager
def uvicorn(env, workers, log_path):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "janitorial_crm.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        "--backlog",
        "4096",
        "--timeout-graceful-shutdown",
        "5",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"uvicorn exited early:\n{Path(log_path).read_text()[-3000:]}")
            try:
                if http_request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("uvicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def process_tree(pid):
    """`pid` and its descendants (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def memory_of(pid):
    """Resident and proportional set sizes (MiB) of the server's processes, summed, and the
    open sockets of each: the streams it holds."""
    rss = pss = 0
    sockets = []
    for each in process_tree(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
            rollup = Path(f"/proc/{each}/smaps_rollup").read_text()
            fds = list(Path(f"/proc/{each}/fd").iterdir())
        except OSError:
            continue
        rss += next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:"))
        pss += next(int(x.split()[1]) for x in rollup.splitlines() if x.startswith("Pss:"))
        count = 0
        for fd in fds:
            with suppress(OSError):
                count += os.readlink(fd).startswith("socket:")
        sockets.append(count)
    return {"rss_mib": rss / 1024, "pss_mib": pss / 1024, "sockets": sockets}


def cpu_seconds(pid):
    """User + system CPU seconds of the server's processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in process_tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


# -- the streams and the driver --------------------------------------------------------------
@dataclass
class Stream:
    index: int
    token: str
    path: str
    status: int | None = None
    ready: bool = False
    error: str = ""
    frames: list = field(default_factory=list)  # (receipt ms, frame)
    notices: list = field(default_factory=list)  # reset / paused / resumed


async def open_stream(port, stream, gate, ready_event, stop):
    request = (
        f"GET {stream.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Authorization: Bearer {stream.token}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    writer = None
    try:
        async with gate:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 60)
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 120)
        lines = head.decode("latin-1").split("\r\n")
        stream.status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if stream.status != 200:
            stream.error = f"HTTP {stream.status}"
            return
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        decoder, parser = ChunkedDecoder(), SseParser()
        utf8 = codecs.getincrementaldecoder("utf-8")()  # a character may span two reads
        while not stop.is_set():
            data = await reader.read(65536)
            received = time.time() * 1000
            if not data:
                stream.error = stream.error or "closed by the server"
                return
            text = utf8.decode(decoder.feed(data) if chunked else data)
            for frame in parser.feed(text):
                if "retry" in frame and not stream.ready:
                    stream.ready = True
                    ready_event()
                if frame.get("event") in ("reset", "paused", "resumed"):
                    stream.notices.append(frame["event"])
                elif "event" in frame:
                    stream.frames.append((received, frame))
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
        stream.error = f"{type(error).__name__}: {error}"
    finally:
        if writer is not None:
            writer.close()


def send_change(port, change, token):
    body = json.dumps(change.body).encode()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    change.sent = time.time()
    try:
        change.status = http_request(port, "POST", change.path, body=body, headers=headers)[0]
    except OSError:
        change.status = 0
    change.answered = time.time()


async def drive(port, changes, token, rate):
    """Send `changes` at `rate` a second on a fixed schedule (a slow answer does not delay the
    next change), each from a thread."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        pending = []
        for i, change in enumerate(changes):
            await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
            pending.append(loop.run_in_executor(pool, send_change, port, change, token))
        await asyncio.gather(*pending)


async def run_load(port, server_pid, plan, tokens, changes, coordinator_token, args):
    streams = []
    for index, (user, _role, types) in enumerate(plan):
        path = "/live/" + (f"?types={types}" if types else "")
        streams.append(Stream(index, tokens[user.pk], path))
    stop = asyncio.Event()
    gate = asyncio.Semaphore(args.connect_concurrency)
    counter = {"ready": 0, "settled": 0}
    all_settled = asyncio.Event()

    def settled():
        counter["settled"] += 1
        if counter["settled"] == len(streams):
            all_settled.set()

    def ready():
        counter["ready"] += 1
        settled()

    def ended(task, stream):
        if not stream.ready:  # it failed before it was subscribed
            settled()

    started = time.monotonic()
    tasks = []
    for stream in streams:
        task = asyncio.create_task(open_stream(port, stream, gate, ready, stop))
        task.add_done_callback(lambda task, stream=stream: ended(task, stream))
        tasks.append(task)
    with suppress(TimeoutError):
        await asyncio.wait_for(all_settled.wait(), args.connect_timeout)
    connect_seconds = time.monotonic() - started
    failed = [s for s in streams if not s.ready]
    print(
        f"  {counter['ready']}/{len(streams)} streams open in {connect_seconds:.1f} s"
        + (
            f"; not open: {failed[0].error or 'no answer'} (and {len(failed) - 1} more)"
            if failed
            else ""
        ),
        flush=True,
    )
    await asyncio.sleep(2)
    idle = memory_of(server_pid)
    cpu_before = cpu_seconds(server_pid)
    print(f"  driving {len(changes)} changes at {args.rate}/s ...", flush=True)
    await drive(port, changes, coordinator_token, args.rate)
    # Let the last events arrive: until nothing new for 3 s, at most --drain seconds.
    deadline = time.monotonic() + args.drain
    last_total = -1
    while time.monotonic() < deadline:
        total = sum(len(s.frames) for s in streams)
        if total == last_total:
            break
        last_total = total
        await asyncio.sleep(3)
    loaded = memory_of(server_pid)
    cpu = cpu_seconds(server_pid) - cpu_before
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return streams, {
        "connect_seconds": connect_seconds,
        "open": counter["ready"],
        "idle": idle,
        "loaded": loaded,
        "server_cpu_seconds": cpu,
    }


# -- one mode --------------------------------------------------------------------------------
def run_mode(mode, args, env, plan, tokens, coordinator_token, workdir):
    from django.db import connection

    changes = plan_changes(round(args.rate * args.duration), client_sites())
    connection.close()  # the server's writes must not wait on an idle transaction of ours
    mode_env = {**env}
    workers = 1
    key = ""
    if mode == "redis":
        workers = args.workers
        key = f"jcrm-bench-live-{secrets.token_hex(4)}"
        mode_env.update({"REDIS_URL": args.redis_url, "LIVE_REDIS_KEY": key})
    print(f"\n{mode}: uvicorn --workers {workers}, {len(plan)} streams", flush=True)
    load_before = os.getloadavg()[0]
    log = Path(workdir) / f"uvicorn-{mode}.log"
    with uvicorn(mode_env, workers, log) as (port, pid):
        streams, server = asyncio.run(
            run_load(port, pid, plan, tokens, changes, coordinator_token, args)
        )
    published = None
    if mode == "redis":
        published = redis_events(args.redis_url, key)
    return summarise(mode, workers, plan, streams, changes, server, published, load_before, log)


def redis_events(url, key):
    """How many events the run appended to its Redis stream; the keys are removed."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        count = client.xlen(f"{key}:events")
        client.delete(f"{key}:events", f"{key}:floor")
        return count
    finally:
        client.close()


def summarise(mode, workers, plan, streams, changes, server, published, load_before, log):
    text = log.read_text(errors="replace") if log.exists() else ""
    server_errors = text.count("Exception in ASGI application")
    failed_writes = [c for c in changes if c.status not in (200, 201)]
    received = {
        s.index: [
            ((frame["event"], json.loads(frame["data"])["id"]), json.loads(frame["data"]))
            for _at, frame in s.frames
        ]
        for s in streams
    }
    # A stream that never opened heard nothing: counted apart, not as events lost.
    expected = expected_receivers(plan, changes)
    failed = [s.index for s in streams if not s.ready]
    missed_by_failed = sum(len(expected.pop(index)) for index in failed)
    checked = compare(expected, {index: received[index] for index in expected})
    latencies = []
    for s in streams:
        for at, frame in s.frames:
            key = parse_id(frame.get("id"))
            if key is not None:
                latencies.append(at - key[0])
    writes = [1000 * (c.answered - c.sent) for c in changes if c.status in (200, 201)]
    by_role = {}
    for s in streams:
        role = plan[s.index][1]
        by_role[role] = by_role.get(role, 0) + len(s.frames)
    return {
        "mode": mode,
        "workers": workers,
        "streams": len(streams),
        "open": server["open"],
        "connect_seconds": server["connect_seconds"],
        "changes": len(changes),
        "failed_writes": len(failed_writes),
        "write_statuses": sorted({c.status for c in failed_writes}),
        "published": published,
        "frames": sum(len(s.frames) for s in streams),
        "notices": sum(len(s.notices) for s in streams),
        "stream_errors": sum(1 for s in streams if s.error and s.ready),
        "not_opened": len(failed),
        "not_opened_reasons": sorted({s.error or "no answer" for s in streams if not s.ready}),
        "missed_by_not_opened": missed_by_failed,
        "server_errors": server_errors,
        "latency_ms": {p: percentile(latencies, p) for p in (50, 95, 100)},
        "write_ms": {p: percentile(writes, p) for p in (50, 95)},
        "idle": server["idle"],
        "loaded": server["loaded"],
        "server_cpu_seconds": server["server_cpu_seconds"],
        "load": (load_before, os.getloadavg()[0]),
        "frames_by_role": by_role,
        **{k: checked[k] for k in ("deliveries", "summaries", "lost", "unexpected", "duplicates")},
        "examples": checked["examples"],
    }


def table(results):
    header = [
        "mode",
        "streams",
        "changes",
        "deliveries",
        "lost",
        "unexpected",
        "p50 ms",
        "p95 ms",
        "max ms",
        "RSS MiB",
        "PSS MiB",
        "server CPU s",
        "server errors",
        "load",
    ]

    def ms(value):
        return "-" if value is None else f"{value:.0f}"

    rows = []
    for r in results:
        mode = f"{r['mode']} ({r['workers']} worker{'s' if r['workers'] > 1 else ''})"
        changes = f"{r['changes'] - r['failed_writes']}/{r['changes']}"
        rows.append(
            [
                mode,
                f"{r['open']}/{r['streams']}",
                changes,
                str(r["deliveries"]),
                str(r["lost"]),
                str(r["unexpected"] + r["duplicates"]),
                ms(r["latency_ms"][50]),
                ms(r["latency_ms"][95]),
                ms(r["latency_ms"][100]),
                f"{r['loaded']['rss_mib']:.0f}",
                f"{r['loaded']['pss_mib']:.0f}",
                f"{r['server_cpu_seconds']:.1f}",
                str(r["server_errors"]),
                f"{r['load'][0]:.1f}/{r['load'][1]:.1f}",
            ]
        )
    return header, rows


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("memory", "redis", "both"), default="both")
    parser.add_argument("--subscribers", type=int, default=1000, help="streams (default 1000)")
    parser.add_argument(
        "--mix",
        default=DEFAULT_MIX,
        help=f"streams per role, scaled to --subscribers ({DEFAULT_MIX})",
    )
    parser.add_argument("--rate", type=float, default=5, help="changes a second (default 5)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of changes (30)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers in redis mode")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help=f"default {DEFAULT_REDIS}")
    parser.add_argument("--coordinator", default="coord001", help="who makes the changes")
    parser.add_argument(
        "--connect-concurrency", type=int, default=100, help="streams opening at once (100)"
    )
    parser.add_argument("--connect-timeout", type=float, default=180, help="seconds (180)")
    parser.add_argument("--drain", type=float, default=30, help="seconds to wait for stragglers")
    parser.add_argument(
        "--log-dir", type=Path, help="keep uvicorn's logs here (default: a temporary directory)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here (Markdown)")
    parser.add_argument("--json", type=Path, help="also write the raw results here (JSON)")
    args = parser.parse_args()
    try:
        mix = parse_mix(args.mix)
    except ValueError as error:
        parser.error(str(error))
    total = sum(mix.values())
    if args.subscribers < 1 or not total or args.rate <= 0 or args.duration <= 0:
        parser.error("use at least one subscriber, a positive rate and a positive duration")
    # Scale the mix to --subscribers, keeping its proportions.
    scaled = {role: count * args.subscribers // total for role, count in mix.items()}
    scaled[max(scaled, key=lambda role: mix[role])] += args.subscribers - sum(scaled.values())
    args.mix = scaled
    args.modes = ["memory", "redis"] if args.mode == "both" else [args.mode]
    return args


def main():
    args = parse_args()
    # Each stream is a socket here and one in the server (which inherits the limit).
    limit = raise_fd_limit(args.subscribers * 2 + 1024)
    if limit < args.subscribers + 256:
        sys.exit(
            f"The open-file limit is {limit}: raise it (ulimit -n) for {args.subscribers} streams."
        )
    env = {
        **server_env(),
        # Streams give their database connection back; a pool per process serves the requests.
        "DATABASE_POOL": "True",
        # No stream ends (and reconnects) during the run.
        "LIVE_STREAM_SECONDS": "3600",
        "API_RATE_PER_TOKEN": "100000000/minute",
    }
    setup_django(env)
    from django.contrib.auth import get_user_model

    users = pick_users()
    plan = allocate(args.mix, users)
    coordinator = get_user_model().objects.filter(username__iexact=args.coordinator).first()
    if coordinator is None:
        sys.exit(
            f"No user {args.coordinator!r}: load the large data set (seed_demo --scale large)."
        )
    everyone = {user.pk: user for user, _role, _types in plan} | {coordinator.pk: coordinator}
    tokens = issue_tokens(everyone.values())
    machine, data = describe_machine(), describe_data()
    distinct = {role: len({u.pk for u, r, _t in plan if r == role}) for role in args.mix}
    mix = ", ".join(f"{n} {role} ({distinct[role]} users)" for role, n in args.mix.items())
    print(f"Machine: {machine}\nData: {data}\nStreams: {mix}")
    results = []
    with tempfile.TemporaryDirectory(prefix="jcrm-bench-live-") as workdir:
        if args.log_dir:
            args.log_dir.mkdir(parents=True, exist_ok=True)
            workdir = args.log_dir
        for mode in args.modes:
            result = run_mode(mode, args, env, plan, tokens, tokens[coordinator.pk], workdir)
            results.append(result)
            for kind, stream, key in result["examples"]:
                user, role, types = plan[stream]
                print(
                    f"    {kind}: {key} at stream {stream} ({role} {user.username}, types={types})"
                )
    header, rows = table(results)
    print(f"\n{machine}\n{args.rate:g} changes/s for {args.duration:g} s, {mix}\n")
    print_table(header, rows)
    for r in results:
        print(
            f"{r['mode']}: streams open in {r['connect_seconds']:.1f} s; idle RSS "
            f"{r['idle']['rss_mib']:.0f} MiB (sockets per process {r['idle']['sockets']}); "
            f"writes p50 {r['write_ms'][50]:.0f} ms, p95 {r['write_ms'][95]:.0f} ms; "
            f"{r['frames']} frames, {r['notices']} notices, "
            f"{r['stream_errors']} streams ended early"
            + (f"; {r['published']} events in Redis" if r["published"] is not None else "")
        )
        if r["not_opened"]:
            print(
                f"  {r['not_opened']} streams did not open ({'; '.join(r['not_opened_reasons'])})"
                f": {r['missed_by_not_opened']} events in their scope not heard (not in 'lost'); "
                f"{r['server_errors']} 'Exception in ASGI application' in uvicorn's log"
            )
        by_role = ", ".join(f"{role} {n}" for role, n in r["frames_by_role"].items())
        print(f"  events received by role: {by_role}; {r['summaries']} of them summaries")
    if args.markdown:
        args.markdown.write_text(
            f"Machine: {machine}. Data: {data}. {args.rate:g} changes/s for {args.duration:g} s; "
            f"streams: {mix}.\n\n{markdown_table(header, rows)}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": machine, "data": data, "results": results}, indent=2, default=str
            )
        )


if __name__ == "__main__":
    main()
