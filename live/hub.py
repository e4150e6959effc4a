"""The streams connected to this process, and who among them hears each event.

One `Hub` per event loop (an ASGI worker runs one) holds the connected `Subscriber`s. The
broker hands it every committed event; the hub asks the gate once per event which of its
subscribers may see the object (`live.scope.audience`, one thread hop and a few queries
whatever the number of subscribers) and queues the event for them. A subscriber too slow to
keep up (its queue full) is told to start again (`reset`) rather than slowing everyone.
"""

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from live import scope
from live.broker import Broker, Message

logger = logging.getLogger(__name__)

# What a subscriber's queue carries: (event name, id, data) triples, and these notices.
Item = tuple[str, str | None, dict[str, Any]]
RESET: Item = ("reset", None, {})
PAUSED: Item = ("paused", None, {})
RESUMED: Item = ("resumed", None, {})


@dataclass(eq=False)
class Subscriber:
    """One open stream: whose it is and what it asked for (`types`, `site_id`: None = all)."""

    user: Any
    types: frozenset[str] | None = None
    site_id: int | None = None
    queue: asyncio.Queue[Item] = field(
        default_factory=lambda: asyncio.Queue(maxsize=settings.LIVE_QUEUE_SIZE)
    )
    overflowed: bool = False

    def wants(self, message: Message) -> bool:
        return (self.types is None or message.type in self.types) and (
            self.site_id is None or message.site_id == self.site_id
        )

    def offer(self, item: Item) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            # What is queued is dropped and the stream ends with `reset`: the client reconnects
            # and redraws.
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESET)


Delivery = tuple[Subscriber, Item]


def deliveries(message: Message, subscribers: Iterable[Subscriber]) -> list[Delivery]:
    """What each of `subscribers` receives of `message` (nothing, the event, or "gone"), asked
    of the gate in one go. Runs in a thread: it reads the database."""
    wanting = [subscriber for subscriber in subscribers if subscriber.wants(message)]
    if not wanting:
        return []
    if not connection.in_atomic_block:  # a long-lived thread: drop a broken or old connection
        close_old_connections()
    everyone = {subscriber.user.pk: subscriber.user for subscriber in wanting}
    users = {user.pk: user for user in scope.candidates(message, everyone.values())}
    allowed = scope.audience(message, users.values())
    others = [user for pk, user in users.items() if pk not in allowed]
    summary = scope.summary_audience(message, others) if others else set()
    result: list[Delivery] = []
    for subscriber in wanting:
        if subscriber.user.pk in allowed:
            result.append((subscriber, (message.type, message.id, message.data)))
        elif subscriber.user.pk in summary:
            result.append((subscriber, (message.type, message.id, message.summary())))
        elif subscriber.user.pk in message.former_viewers:
            result.append((subscriber, (message.type, message.id, message.gone())))
    return result


class Hub:
    """The subscribers of one event loop, fed by the broker."""

    _hubs: dict[tuple[int, asyncio.AbstractEventLoop], "Hub"] = {}

    def __init__(
        self, broker: Broker, loop: asyncio.AbstractEventLoop, start: str | None = None
    ) -> None:
        self.broker = broker
        self.loop = loop
        self.subscribers: set[Subscriber] = set()
        self.paused = False
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._pending = 0
        self._dispatcher = loop.create_task(self._dispatch())
        broker.attach(self, start)

    @classmethod
    def join(cls, broker: Broker, subscriber: Subscriber, start: str | None) -> "Hub":
        """Add `subscriber` to the hub of the running loop; a new hub hears the events after
        `start` (the broker's newest id, read before joining: nothing falls in between)."""
        loop = asyncio.get_running_loop()
        hub = cls._hubs.get((id(broker), loop))
        if hub is None:
            hub = cls._hubs[(id(broker), loop)] = cls(broker, loop, start)
        hub.subscribers.add(subscriber)
        if hub.paused:
            subscriber.offer(PAUSED)
        return hub

    def leave(self, subscriber: Subscriber) -> None:
        """Remove `subscriber`; the last one out stops the hub (and its broker reader)."""
        self.subscribers.discard(subscriber)
        if not self.subscribers:
            self._hubs.pop((id(self.broker), self.loop), None)
            self.broker.detach(self)
            self._dispatcher.cancel()

    @property
    def pending(self) -> int:
        """Events received and not yet handed to the subscribers."""
        return self._pending

    # Called by the broker, on this hub's loop.
    def receive(self, message: Message) -> None:
        self._pending += 1
        self._inbox.put_nowait(message)

    def set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        for subscriber in list(self.subscribers):
            subscriber.offer(PAUSED if paused else RESUMED)

    async def _dispatch(self) -> None:
        check = sync_to_async(deliveries, thread_sensitive=True)
        while True:
            message = await self._inbox.get()
            try:
                for subscriber, item in await check(message, list(self.subscribers)):
                    subscriber.offer(item)
            except Exception:  # noqa: BLE001 - one bad event must not stop the stream
                logger.exception("Live event %s (%s) not delivered", message.id, message.type)
            finally:
                self._pending -= 1
