"""A tiny in-process event bus: a change announces itself after its transaction commits.

The domain services publish (`publish("visit.status_changed", object_id=..., site_id=...,
to_status=...)`); the upper apps subscribe from their `AppConfig.ready` (`subscribe(handler)`)
to turn events into webhooks, live updates or notifications. Delivery is scheduled with
`transaction.on_commit`, so a rolled-back change never announces itself; outside a transaction
the handlers run at once.

An event carries ids and a small JSON dict of what changed, never model instances or data the
receiver may not see: each receiver re-reads the object through `Model.objects.for_user(...)`
for whoever it serves. A failing handler is logged and does not stop the others (the change is
already committed by then).
"""

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class EventKind(models.TextChoices):
    """Every kind of event the services publish."""

    VISIT_CREATED = "visit.created", _("A visit was planned")
    VISIT_CHANGED = "visit.changed", _("A visit was changed (technician, time or notes)")
    VISIT_STATUS_CHANGED = "visit.status_changed", _("A visit's status changed")
    VISIT_DELETED = "visit.deleted", _("A visit was deleted")
    INSPECTION_FILED = "inspection.filed", _("An inspection was filed")
    INSPECTION_CHANGED = "inspection.changed", _("An inspection was edited")
    INSPECTION_DELETED = "inspection.deleted", _("An inspection was deleted")
    ACTION_RESOLVED = "action.resolved", _("A corrective action was resolved")
    STOCK_CHANGED = "stock.changed", _("A stock item's quantity changed")
    STOCK_LOW = "stock.low", _("A stock item fell to its reorder level")


@dataclass(frozen=True)
class Event:
    """What happened, to which object, at which site: ids and plain JSON values only."""

    kind: str
    object_id: int
    site_id: int
    changes: Mapping[str, Any] = field(default_factory=dict)
    # Users who could see the object before this change and may not any more (a visit's
    # former technician): told that it is gone, and nothing else.
    former_viewers: tuple[int, ...] = ()
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: dt.datetime = field(default_factory=timezone.now)


Handler = Callable[[Event], None]

_handlers: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    """Call `handler(event)` for every event committed from now on. Idempotent."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def publish(
    kind: str,
    *,
    object_id: int,
    site_id: int,
    former_viewers: Iterable[int | None] = (),
    **changes: Any,
) -> Event:
    """Announce a change once the current transaction commits (at once outside one).

    `changes` must be JSON values (Decimals, dates and UUIDs are turned into strings): passing
    a model instance is a TypeError, on purpose. `former_viewers` are user ids that saw the
    object before the change (None is ignored).
    """
    if kind not in EventKind.values:
        raise ValueError(f"Unknown event kind {kind!r}")
    plain = json.loads(json.dumps(changes, cls=DjangoJSONEncoder))
    event = Event(
        kind=kind,
        object_id=int(object_id),
        site_id=int(site_id),
        changes=plain,
        former_viewers=tuple(sorted({int(pk) for pk in former_viewers if pk is not None})),
    )
    transaction.on_commit(partial(_deliver, event))
    return event


def _deliver(event: Event) -> None:
    for handler in list(_handlers):
        try:
            handler(event)
        except Exception:  # noqa: BLE001 - one broken receiver must not silence the others
            logger.exception("Event handler %r failed on %s %s", handler, event.kind, event.id)
