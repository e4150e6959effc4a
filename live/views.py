"""The event stream: Server-Sent Events at /live/ for browser sessions and API tokens.

    retry: 3000
    id: 1764543825123-4              (where this stream starts; no event)

    id: 1764543825200-0
    event: visit
    data: {"id": 12, "site": 3, "change": "status_changed", "to_status": "in_progress", ...}

Only events about objects in the subscriber's `for_user` scope are sent (live.hub). Optional
filters: `types=visit,stock` and `site=<id>`. A reconnecting client's `Last-Event-ID` is
replayed (live.broker); when that is no longer possible the stream sends `reset`. `paused` and
`resumed` say the broker was lost and is back. A comment line every LIVE_HEARTBEAT_SECONDS
keeps proxies from closing an idle stream; after LIVE_STREAM_SECONDS the stream ends and the
client reconnects, so a revoked token or ended session stops receiving within that time.
"""

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from api.services import api_token_authenticate
from live.broker import Broker, EventId, Message, get_broker, parse_id
from live.hub import PAUSED, RESET, RESUMED, Delivery, Hub, Subscriber, deliveries
from live.scope import TYPES
from sites.models import ClientSite

P = ParamSpec("P")
R = TypeVar("R")


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


class BadFilter(ValueError):
    pass


def _subscriber_user(request: HttpRequest) -> Any:
    """The user of a valid Bearer token, else of the session; None if neither."""
    header = request.headers.get("Authorization", "")
    scheme, _space, raw = header.partition(" ")
    if scheme.lower() == "bearer":
        token = api_token_authenticate(raw.strip())
        return token.user if token is not None else None
    return request.user if request.user.is_authenticated else None


def _types(request: HttpRequest) -> frozenset[str] | None:
    names = {
        name.strip()
        for value in request.GET.getlist("types")
        for name in value.split(",")
        if name.strip()
    }
    if not names:
        return None
    if names - TYPES:
        raise BadFilter(
            _("Unknown event type: %(types)s. Choose from %(known)s.")
            % {"types": ", ".join(sorted(names - TYPES)), "known": ", ".join(sorted(TYPES))}
        )
    return frozenset(names)


def _site_id(request: HttpRequest, user: Any) -> int | None:
    """The `site` filter; LookupError if the user may not see that site (answered 404)."""
    raw = request.GET.get("site", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise BadFilter(_("“site” is a site id (a whole number)."))
    if not ClientSite.objects.for_user(user).filter(pk=int(raw)).exists():
        raise LookupError(raw)
    return int(raw)


def _released(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function`, then give back the request thread's database connection: a stream's
    request lasts minutes, and a connection held for each open stream would exhaust the
    database's limit at a hundred streams. (Inside a test's transaction it is kept.)"""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return wrapper


@_released
def _subscribe(request: HttpRequest) -> Subscriber | JsonResponse:
    """Who is asking and for what, or the refusal."""
    user = _subscriber_user(request)
    if user is None:
        response = _problem(401, _("Not signed in"), _("Sign in, or send an API token."))
        response["WWW-Authenticate"] = "Bearer"
        return response
    if user.role is None:
        return _problem(403, _("No access yet"), _("An administrator has not given you a role."))
    try:
        return Subscriber(user=user, types=_types(request), site_id=_site_id(request, user))
    except BadFilter as error:
        return _problem(400, _("Bad filter"), str(error))
    except LookupError:
        return _problem(404, _("Not found"), _("No such site."))


@login_not_required
@require_GET
async def stream(request: HttpRequest) -> HttpResponseBase:
    if not isinstance(request, ASGIRequest):
        # A WSGI worker would hold a thread per stream, forever: streams need the ASGI server.
        return _problem(
            503,
            _("Live updates unavailable"),
            _("This server runs without live updates; reload the page to see changes."),
        )
    subscriber = await sync_to_async(_subscribe)(request)
    if isinstance(subscriber, HttpResponse):
        return subscriber
    response = StreamingHttpResponse(
        _events(get_broker(), subscriber, request.headers.get("Last-Event-ID")),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: send each event as it comes
    return response


def _frame(name: str | None, event_id: str | None, data: dict[str, Any] | None) -> str:
    lines = []
    if event_id:
        lines.append(f"id: {event_id}")
    if name:
        lines.append(f"event: {name}")
    if data is not None:
        lines.append("data: " + json.dumps(data, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


@_released
def _replayable(
    messages: list[Message], subscriber: Subscriber, limit: int
) -> list[Delivery] | None:
    """The missed events `subscriber` may see, or None when there are too many to replay."""
    wanted = [message for message in messages if subscriber.wants(message)]
    if len(wanted) > limit:
        return None
    return [item for message in wanted for item in deliveries(message, [subscriber])]


async def _events(
    broker: Broker, subscriber: Subscriber, last_event_id: str | None
) -> AsyncIterator[str]:
    latest = await broker.latest_id()
    hub = Hub.join(broker, subscriber, latest)
    try:
        # A new stream starts at the newest event, a reconnecting one after the last it
        # received; what came after that until it joined the hub is replayed now.
        start = last_event_id or latest
        replay: list[Delivery] | None = []
        missed: list[Message] | None = []
        if start is not None:
            missed = await broker.since(start, limit=settings.LIVE_REPLAY_EVENTS)
            replay = None
            if missed is not None:
                replay = await sync_to_async(_replayable)(
                    missed, subscriber, settings.LIVE_REPLAY_LIMIT
                )
        yield f"retry: {settings.LIVE_RETRY_MS}\n\n"
        if last_event_id is None and latest is not None:
            yield _frame(None, latest, None)
        # The last id sent: a live event already replayed is not sent twice.
        position = parse_id(start)
        if replay is None:
            yield _frame(*RESET)
            position = parse_id(latest)
        else:
            for _subscriber, (name, event_id, data) in replay:
                yield _frame(name, event_id, data)
            if missed:
                position = missed[-1].key
        async for frame in _live(subscriber, position):
            yield frame
    finally:
        hub.leave(subscriber)


async def _live(subscriber: Subscriber, position: EventId | None) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.LIVE_STREAM_SECONDS
    while (remaining := deadline - loop.time()) > 0:
        try:
            name, event_id, data = await asyncio.wait_for(
                subscriber.queue.get(), min(settings.LIVE_HEARTBEAT_SECONDS, remaining)
            )
        except TimeoutError:
            yield ": ping\n\n"
            continue
        if (name, event_id, data) == RESET:
            yield _frame(*RESET)
            return
        if (name, event_id, data) in (PAUSED, RESUMED):
            yield _frame(name, None, {})
            continue
        key = parse_id(event_id)
        if position is not None and key is not None and key <= position:
            continue
        position = key
        yield _frame(name, event_id, data)
