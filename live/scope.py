"""Who may see the object an event is about: the gate (`for_user`), asked for many users at
once.

First the users who cannot see anything at the event's site are left out (`candidates`: two
small indexed queries). Each remaining subscriber's `Model.objects.for_user(user)` is built as
usual. A queryset with no condition (company-wide roles) sees every row and one that is empty
(`none()`) sees none: both are answered without a query. The others are asked together, "is
this object in your queryset?", as one UNION ALL query per `BATCH` users. No rule is restated
here.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import IntegerField, Model, QuerySet, Value

from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from scheduling.models import CleaningSchedule
from sites.models import ClientSite

# The stream types and the model whose gate decides who hears them.
MODELS: dict[str, type[Model]] = {
    "visit": CleaningSchedule,
    "stock": SupplyInventory,
    "inspection": SiteInspectionLog,
    "action": SiteInspectionLog,
}
TYPES = frozenset(MODELS)

# SQLite allows 500 terms in a compound SELECT.
BATCH = 200


def _summary_scopes() -> dict[str, Callable[[Any], QuerySet[Any]]]:
    """Where a user who may not see the object itself sees a summary of it: a client's visit
    log shows the date, times and status of past visits at their sites. Such a user hears that
    the visit changed (`Message.summary()`), nothing more."""
    return {"visit": CleaningSchedule.objects.in_visit_log}


def candidates(message: Any, users: Iterable[Any]) -> list[Any]:
    """`users` who may possibly see an object at `message`'s site: company-wide roles, and
    those whose sites (`ClientSite.for_user`) include it. Every `for_user` of a streamed
    model shows only objects at the user's sites (tests/live/test_scope.py holds every model
    to that), so the others are left out before any queryset is built: a technician hears
    about a handful of sites, not about the thousand others."""
    users = list(users)
    scoped = [user for user in users if not user.sees_everything]
    if not scoped:
        return users
    assigned = ClientSite.objects.assigned_user_ids(message.site_id)
    return [user for user in users if user.sees_everything or user.pk in assigned]


def audience(message: Any, users: Iterable[Any]) -> set[int]:
    """The ids of `users` whose `for_user` scope holds the object `message` is about (`users`
    already narrowed by `candidates`)."""
    model = MODELS[message.type]
    return _holding(
        message.object_id,
        {user.pk: model._default_manager.for_user(user) for user in users},  # type: ignore[attr-defined]
    )


def summary_audience(message: Any, users: Iterable[Any]) -> set[int]:
    """The ids of `users` who see `message`'s object only as a summary (`_summary_scopes`)."""
    scope = _summary_scopes().get(message.type)
    if scope is None:
        return set()
    return _holding(message.object_id, {user.pk: scope(user) for user in users})


def _holding(object_id: int, querysets: dict[int, QuerySet[Any]]) -> set[int]:
    """The keys of `querysets` whose queryset holds the row `object_id`."""
    allowed: set[int] = set()
    asked = []
    for key, queryset in querysets.items():
        if queryset.query.is_empty():
            continue
        if not queryset.query.where:
            allowed.add(key)
            continue
        asked.append(
            queryset.filter(pk=object_id)
            .order_by()
            .values_list(Value(key, output_field=IntegerField()))
        )
    for start in range(0, len(asked), BATCH):
        first, *rest = asked[start : start + BATCH]
        query = first.union(*rest, all=True) if rest else first
        allowed.update(pk for (pk,) in query)
    return allowed
