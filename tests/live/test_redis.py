"""With REDIS_URL set, events travel through a real Redis (127.0.0.1:6379 on this machine and
in CI): from another process, replayed from the Redis stream, and paused/resumed when Redis
goes away and comes back."""

import os
import socket
import subprocess
import sys
import threading
import uuid
from contextlib import suppress
from pathlib import Path

import pytest

from scheduling import services
from scheduling.models import VisitStatus
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_key(settings):
    """Each test its own stream in the shared Redis; removed afterwards."""
    import redis

    key = f"jcrm-test:{uuid.uuid4().hex}"
    settings.LIVE_REDIS_URL = REDIS_URL
    settings.LIVE_REDIS_KEY = key
    yield key
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(f"{key}:events", f"{key}:floor")
    client.close()


def note(visit, by, text="checked"):
    return services.visit_add_note(visit=visit, by=by, text=text)


PUBLISH_ELSEWHERE = """
import django, sys
django.setup()
from live.broker import Message, get_broker
visit, site = int(sys.argv[1]), int(sys.argv[2])
print(get_broker().publish(Message("visit", visit, site, {"id": visit, "site": site,
                                                          "change": "changed"})))
"""


def test_an_event_published_by_another_process_arrives(live, redis_key, site, technician):
    visit = VisitFactory(site=site, assigned_to=technician)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "janitorial_crm.settings",
        "REDIS_URL": REDIS_URL,
        "LIVE_REDIS_KEY": redis_key,
    }

    async def scenario():
        stream = await live.open(technician)
        published = subprocess.run(  # noqa: ASYNC221 - the other process is the point
            [sys.executable, "-c", PUBLISH_ELSEWHERE, str(visit.pk), str(site.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        event = await stream.event()
        assert (event.id, event.event, event.data["id"]) == (published, "visit", visit.pk)

    live.run(scenario)


def test_replay_and_reset_come_from_the_redis_stream(live, settings, redis_key, site, technician):
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        first = await live.open(technician)
        await live.change(note, visit, technician, "one")
        seen = await first.event()
        await first.close()
        await live.change(note, visit, technician, "two")
        again = await live.open(technician, headers={"Last-Event-ID": seen.id})
        missed = await again.event()
        assert missed.id > seen.id and missed.data["change"] == "changed"
        await again.close()

        settings.LIVE_REPLAY_EVENTS = settings.LIVE_REPLAY_MAX_EVENTS = 1
        settings.LIVE_REPLAY_SECONDS = 0
        from live.broker import _broker

        _broker.cache_clear()  # the retention is read when the broker is made
        for text in ("three", "four", "five"):
            await live.change(note, visit, technician, text)
        late = await live.open(technician, headers={"Last-Event-ID": missed.id})
        assert (await late.event()).event == "reset"

    live.run(scenario)


class Proxy:
    """A TCP relay to Redis that can be cut and restored, as a network failure would."""

    def __init__(self, target=("127.0.0.1", 6379)):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets = []
        self._server = None

    def start(self):
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self.port))
        self._server.listen()
        threading.Thread(target=self._accept, args=(self._server,), daemon=True).start()

    def _accept(self, server):
        while True:
            try:
                downstream, _address = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [downstream, upstream]
            for source, sink in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self):
        with suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self._server.close()
        for connection in self._sockets:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._sockets = []


def test_redis_down_pauses_the_stream_and_pages_keep_working(
    live, settings, redis_key, site, technician, client
):
    proxy = Proxy()
    proxy.start()
    settings.LIVE_REDIS_URL = f"redis://127.0.0.1:{proxy.port}/0"
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        stream = await live.open(technician)
        proxy.cut()
        assert (await stream.event()).event == "paused"

        # The change is made and committed; only its announcement is lost.
        changed = await live.change(
            services.visit_transition,
            visit=visit,
            to_status=VisitStatus.IN_PROGRESS,
            by=technician,
        )
        assert changed.status == VisitStatus.IN_PROGRESS

        proxy.start()
        assert (await stream.event()).event == "resumed"
        await live.change(note, visit, technician, "back")
        event = await stream.event()
        assert (event.event, event.data["fields"]) == ("visit", ["notes"])

    try:
        live.run(scenario)
    finally:
        proxy.cut()


def test_replay_with_redis_unreachable_says_reset_instead_of_failing(settings, redis_key):
    from asgiref.sync import async_to_sync

    from live.broker import RedisBroker

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there
    broker = RedisBroker(f"redis://127.0.0.1:{port}/0", key=redis_key)

    assert async_to_sync(broker.since)("1-0", limit=10) is None
    assert async_to_sync(broker.latest_id)() is None
