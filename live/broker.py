"""Where committed events wait for the streams: a log with increasing ids, and a fan-out.

Two brokers with one interface:

- `MemoryBroker`, the embedded default: one process holds the log in memory and hands each
  event to the streams connected to that process. Enough for `make run` on one machine.
- `RedisBroker`, with `REDIS_URL` set: the log is a Redis stream (XADD, trimmed), so a change
  made in any worker on any machine reaches every stream of every process, and a reconnecting
  client's `Last-Event-ID` is replayed from it. Each process reads the stream once (XREAD
  BLOCK) and fans out in memory; reading the log itself, rather than a separate pub/sub
  channel, means no event can fall between "replayed" and "live".

Retention: every event of the last `LIVE_REPLAY_SECONDS`, and never fewer than the last
`LIVE_REPLAY_EVENTS`, up to `LIVE_REPLAY_MAX_EVENTS` (a memory bound). A client whose last
event is older than what is kept gets `reset` (see `Broker.since`).

Ids are "<milliseconds>-<sequence>", increasing; compared as pairs of numbers.
"""

import asyncio
import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from django.conf import settings

from janitorial_crm.events import Event

logger = logging.getLogger(__name__)

EventId = tuple[int, int]


def parse_id(text: str | None) -> EventId | None:
    """The (milliseconds, sequence) of an id, or None for anything else."""
    if not text or len(text) > 40:
        return None
    ms, dash, seq = text.strip().partition("-")
    if not dash or not (ms + seq).isascii() or not ms.isdigit() or not seq.isdigit():
        return None
    return int(ms), int(seq)


def format_id(value: EventId) -> str:
    return f"{value[0]}-{value[1]}"


@dataclass(frozen=True)
class Message:
    """One event as the streams see it: its stream `type` (visit, stock, inspection, action),
    the object and site it is about, and the small JSON `data` a subscriber receives."""

    type: str
    object_id: int
    site_id: int
    data: dict[str, Any]
    former_viewers: tuple[int, ...] = ()
    id: str = ""

    @classmethod
    def from_event(cls, event: Event) -> "Message":
        kind, _dot, change = event.kind.partition(".")
        data = {"id": event.object_id, "site": event.site_id, "change": change}
        data.update({key: value for key, value in event.changes.items() if key not in data})
        return cls(
            type=kind,
            object_id=event.object_id,
            site_id=event.site_id,
            data=data,
            former_viewers=event.former_viewers,
        )

    def summary(self) -> dict[str, Any]:
        """What someone who sees only a summary of the object is told (a client, of a visit in
        their site's visit log): which one changed, and how, in a word."""
        return {"id": self.object_id, "site": self.site_id, "change": self.data["change"]}

    def gone(self) -> dict[str, Any]:
        """What a former viewer is told: the id it knew, and nothing else."""
        return {"id": self.object_id, "change": "gone"}

    def dumps(self) -> str:
        return json.dumps(
            {
                "type": self.type,
                "object_id": self.object_id,
                "site_id": self.site_id,
                "data": self.data,
                "former_viewers": list(self.former_viewers),
            },
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, text: str | bytes, *, id: str) -> "Message":
        raw = json.loads(text)
        return cls(
            type=raw["type"],
            object_id=raw["object_id"],
            site_id=raw["site_id"],
            data=raw["data"],
            former_viewers=tuple(raw["former_viewers"]),
            id=id,
        )

    @property
    def key(self) -> EventId:
        return parse_id(self.id) or (0, 0)


class Hub(Protocol):
    """What a broker feeds: the streams of one event loop (live.hub.Hub)."""

    loop: asyncio.AbstractEventLoop
    paused: bool

    def receive(self, message: Message) -> None: ...

    def set_paused(self, paused: bool) -> None: ...


class Broker(Protocol):
    def publish(self, message: Message) -> str | None: ...

    async def since(self, last_id: str, *, limit: int) -> list[Message] | None:
        """The events after `last_id` (at most `limit`), or None when some of them can no
        longer be replayed (or there are more): the client must start again (`reset`)."""

    async def latest_id(self) -> str | None:
        """The id of the newest event (None if unknown): a new stream starts there."""

    def attach(self, hub: Hub, start: str | None) -> None:
        """Feed `hub` every event after `start` (None: from now)."""

    def detach(self, hub: Hub) -> None: ...


@dataclass
class _Retention:
    keep_seconds: int = field(default_factory=lambda: settings.LIVE_REPLAY_SECONDS)
    keep_events: int = field(default_factory=lambda: settings.LIVE_REPLAY_EVENTS)
    max_events: int = field(default_factory=lambda: settings.LIVE_REPLAY_MAX_EVENTS)


def _now_ms() -> int:
    return int(time.time() * 1000)


class MemoryBroker:
    """The log and the fan-out of one process (the embedded default)."""

    def __init__(self, retention: _Retention | None = None) -> None:
        self.retention = retention or _Retention()
        self._lock = threading.Lock()
        self._log: deque[tuple[Message, float]] = deque()
        # Ids below the floor may have been missed: from before this process started, or
        # dropped from the log.
        self._floor: EventId = (_now_ms(), 0)
        self._last: EventId = self._floor
        self._hubs: set[Hub] = set()

    def publish(self, message: Message) -> str:
        with self._lock:
            ms = max(_now_ms(), self._last[0])
            self._last = (ms, self._last[1] + 1 if ms == self._last[0] else 0)
            stored = Message(**{**message.__dict__, "id": format_id(self._last)})
            self._log.append((stored, time.monotonic()))
            self._trim()
            hubs = list(self._hubs)
        for hub in hubs:
            try:
                hub.loop.call_soon_threadsafe(hub.receive, stored)
            except RuntimeError:  # its event loop is closed
                self.detach(hub)
        return stored.id

    def _trim(self) -> None:
        keep = self.retention
        cutoff = time.monotonic() - keep.keep_seconds
        while self._log and (
            len(self._log) > keep.max_events
            or (len(self._log) > keep.keep_events and self._log[0][1] < cutoff)
        ):
            dropped, _at = self._log.popleft()
            self._floor = dropped.key

    async def since(self, last_id: str, *, limit: int) -> list[Message] | None:
        last = parse_id(last_id)
        with self._lock:
            if last is None or last < self._floor:
                return None
            missed = [message for message, _at in self._log if message.key > last]
        return missed if len(missed) <= limit else None

    async def latest_id(self) -> str | None:
        with self._lock:
            return format_id(self._last)

    def attach(self, hub: Hub, start: str | None = None) -> None:
        with self._lock:
            self._hubs.add(hub)

    def detach(self, hub: Hub) -> None:
        with self._lock:
            self._hubs.discard(hub)


# Append, then trim: drop what is older than the window beyond the events always kept (and
# anything beyond the hard cap), remembering the last dropped id as the floor: a client whose
# last event is below it may have missed some. A new stream's floor is 0-0.
_PUBLISH = """
local stream, floor = KEYS[1], KEYS[2]
local id = redis.call('XADD', stream, '*', 'm', ARGV[1])
if redis.call('EXISTS', floor) == 0 then
  redis.call('SET', floor, '0-0')
end
local length = redis.call('XLEN', stream)
local excess = length - tonumber(ARGV[2])
if excess > 0 then
  local now = redis.call('TIME')
  local cutoff = (tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
    - tonumber(ARGV[3])) .. '-0'
  local old = redis.call('XRANGE', stream, '-', cutoff, 'COUNT', excess)
  local over = length - tonumber(ARGV[4])
  if over > #old then
    old = redis.call('XRANGE', stream, '-', '+', 'COUNT', over)
  end
  if #old > 0 then
    local last = old[#old][1]
    local ms, seq = string.match(last, '(%d+)-(%d+)')
    redis.call('XTRIM', stream, 'MINID', '=', ms .. '-' .. (tonumber(seq) + 1))
    redis.call('SET', floor, last)
  end
end
return id
"""


class RedisBroker:
    """The log in a Redis stream; each process reads it once and fans out to its hubs."""

    # How long a read waits for new events before asking again (and noticing a lost server).
    BLOCK_MS = 5000

    def __init__(self, url: str, *, key: str, retention: _Retention | None = None) -> None:
        import redis

        self.url = url
        self.stream_key = f"{key}:events"
        self.floor_key = f"{key}:floor"
        self.retention = retention or _Retention()
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries with backoff inside a call: a page must not wait on a Redis that is down
        # (publish gives up at once) and the reader retries on its own schedule.
        self._client = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
        )
        self._script = self._client.register_script(_PUBLISH)
        self._readers: dict[Hub, asyncio.Task[None]] = {}

    def publish(self, message: Message) -> str | None:
        """Append `message`; None (logged) if Redis cannot be reached: the change itself is
        committed, only its announcement is lost, and open pages catch up when they hear
        `resumed`."""
        keep = self.retention
        try:
            raw = self._script(
                keys=[self.stream_key, self.floor_key],
                args=[message.dumps(), keep.keep_events, keep.keep_seconds * 1000, keep.max_events],
            )
        except Exception:  # noqa: BLE001 - any Redis failure: the announcement is lost, not the change
            logger.warning("Live event not published: Redis unreachable", exc_info=True)
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def _async_client(self) -> Any:
        from redis import asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        return aioredis.Redis.from_url(
            self.url,
            socket_timeout=self.BLOCK_MS / 1000 + 5,
            socket_connect_timeout=1,
            retry=Retry(NoBackoff(), 0),
        )

    async def since(self, last_id: str, *, limit: int) -> list[Message] | None:
        last = parse_id(last_id)
        if last is None:
            return None
        client = self._async_client()
        try:
            floor = parse_id((await client.get(self.floor_key) or b"0-0").decode())
            if floor is None or last < floor:
                return None
            rows = await client.xrange(self.stream_key, min=f"({format_id(last)}", count=limit + 1)
        except Exception:  # noqa: BLE001 - Redis down or slow: what was missed is unknown
            logger.warning("Live replay unavailable: Redis unreachable", exc_info=True)
            return None
        finally:
            await _close(client)
        if len(rows) > limit:
            return None
        return [Message.loads(fields[b"m"], id=entry.decode()) for entry, fields in rows]

    async def latest_id(self) -> str | None:
        client = self._async_client()
        try:
            return await self._last_id(client)
        except Exception:  # noqa: BLE001 - Redis down: the hub reports the pause
            return None
        finally:
            await _close(client)

    def attach(self, hub: Hub, start: str | None = None) -> None:
        self._readers[hub] = hub.loop.create_task(self._read(hub, start))

    def detach(self, hub: Hub) -> None:
        reader = self._readers.pop(hub, None)
        if reader is not None:
            reader.cancel()

    async def _read(self, hub: Hub, start: str | None) -> None:
        """Hand every new entry of the stream to `hub`; when Redis is lost, say so and retry
        (after 0.5 s, then up to every 2 s), then carry on from the last entry read."""
        client = self._async_client()
        last = start
        delay = 0.5
        try:
            while True:
                try:
                    if last is None:
                        last = await self._last_id(client)
                    if hub.paused:
                        await client.ping()
                        hub.set_paused(False)
                    rows = await client.xread({self.stream_key: last}, block=self.BLOCK_MS)
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - Redis down or restarting
                    logger.warning("Live stream paused: Redis unreachable", exc_info=True)
                    hub.set_paused(True)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)
                    continue
                delay = 0.5
                for _stream, entries in rows or ():
                    for entry, fields in entries:
                        last = entry.decode()
                        hub.receive(Message.loads(fields[b"m"], id=last))
        finally:
            await client.aclose()

    async def _last_id(self, client: Any) -> str:
        newest = await client.xrevrange(self.stream_key, count=1)
        return newest[0][0].decode() if newest else "0-0"


async def _close(client: Any) -> None:
    """Close a client; a close that times out (a loaded event loop) is not the stream's
    failure: the connection is dropped either way."""
    try:
        await client.aclose()
    except Exception:  # noqa: BLE001 - the connection is gone or going
        logger.debug("Redis client close failed", exc_info=True)


@cache
def _broker(url: str, key: str) -> Broker:
    if url:
        return RedisBroker(url, key=key)
    return MemoryBroker()


def get_broker() -> Broker:
    """The broker of this process, chosen by settings (LIVE_REDIS_URL empty: in memory)."""
    return _broker(settings.LIVE_REDIS_URL, settings.LIVE_REDIS_KEY)


def forward_event(event: Event) -> None:
    """The events subscriber: every committed event goes to the broker."""
    get_broker().publish(Message.from_event(event))
