"""Helpers to open /live/ streams in-process and read their events.

A test writes its scenario as a coroutine and runs it with `live.run(scenario)`: streams are
opened with Django's AsyncClient on that event loop, and changes are made with
`await live.change(fn)`, which runs `fn` on the test's thread (and database transaction) and
then runs the on-commit callbacks, as a real commit would. Reading an event waits at most
`TIMEOUT` seconds, so a missing event fails the test instead of hanging it; "receives nothing"
is asserted by sending a marker the subscriber does see and checking it comes first.
"""

import asyncio
import json
from dataclasses import dataclass

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from api.services import api_token_create
from live import broker as broker_module
from live.hub import Hub

TIMEOUT = 5


@dataclass
class Frame:
    event: str | None
    id: str | None
    data: dict | None
    comment: str | None = None


def parse_frame(text):
    event = event_id = data = comment = None
    for line in text.split("\n"):
        name, _colon, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "":
            comment = value
        elif name == "event":
            event = value
        elif name == "id":
            event_id = value
        elif name == "data":
            data = json.loads(value)
    return Frame(event, event_id, data, comment)


class Stream:
    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code
        self._content = response.streaming_content if response.streaming else None
        self._buffer = ""

    async def frame(self, timeout=TIMEOUT):
        """The next frame (event, id-only, control, or comment)."""
        while "\n\n" not in self._buffer:
            chunk = await asyncio.wait_for(anext(self._content), timeout)
            self._buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        text, self._buffer = self._buffer.split("\n\n", 1)
        return parse_frame(text)

    async def event(self, timeout=TIMEOUT):
        """The next frame that is an event (skipping retry, ids-only and heartbeats)."""
        while True:
            frame = await self.frame(timeout)
            if frame.event is not None:
                return frame

    async def close(self):
        if self._content is not None:
            await self._content.aclose()
            await asyncio.sleep(0)


class Live:
    def __init__(self, capture):
        self._capture = capture
        self._streams = []

    def run(self, scenario):
        async def wrapped():
            try:
                return await scenario()
            finally:
                for stream in self._streams:
                    await stream.close()

        return async_to_sync(wrapped)()

    async def open(self, user=None, *, token=None, query="", headers=None):
        client = AsyncClient()
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            await client.aforce_login(user)
        response = await client.get(f"/live/{query}", headers=headers)
        stream = Stream(response)
        if response.streaming:
            self._streams.append(stream)
            # The first frame ("retry:") comes once the stream has joined its hub: from here
            # on it hears every event.
            assert (await stream.frame()).event is None
        return stream

    async def change(self, fn, *args, **kwargs):
        """Run `fn` like a committed request would: its on-commit callbacks run after it."""

        def committed():
            with self._capture(execute=True):
                return fn(*args, **kwargs)

        return await sync_to_async(committed)()

    async def settled(self):
        """Wait until every hub has handed out the events it received."""
        for _attempt in range(500):
            await asyncio.sleep(0)  # let the broker's call_soon_threadsafe hand-overs run
            if not any(hub.pending for hub in Hub._hubs.values()):
                return
            await asyncio.sleep(0.01)
        raise TimeoutError("the hubs did not settle")

    async def token(self, user):
        _token, raw = await sync_to_async(api_token_create)(user=user, name="live tests")
        return raw


@pytest.fixture(autouse=True)
def _fresh_broker():
    broker_module._broker.cache_clear()
    Hub._hubs.clear()
    yield
    broker_module._broker.cache_clear()
    Hub._hubs.clear()


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    return Live(django_capture_on_commit_callbacks)
