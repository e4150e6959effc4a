"""Who may see the object an event is about: the gate (`for_user`), asked for many users at
once.

Each subscriber's `Model.objects.for_user(user)` is built as usual. A queryset with no
condition (company-wide roles) sees every row and one that is empty (`none()`) sees none: both
are answered without a query. The others are asked together, "is this object in your
queryset?", as one UNION ALL query per `BATCH` users. No rule is restated here.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import IntegerField, Model, Value

from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from scheduling.models import CleaningSchedule

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


def audience(message: Any, users: Iterable[Any]) -> set[int]:
    """The ids of `users` whose `for_user` scope holds the object `message` is about."""
    model = MODELS[message.type]
    allowed: set[int] = set()
    asked = []
    for user in users:
        queryset = model._default_manager.for_user(user)  # type: ignore[attr-defined]
        if queryset.query.is_empty():
            continue
        if not queryset.query.where:
            allowed.add(user.pk)
            continue
        asked.append(
            queryset.filter(pk=message.object_id)
            .order_by()
            .values_list(Value(user.pk, output_field=IntegerField()))
        )
    for start in range(0, len(asked), BATCH):
        first, *rest = asked[start : start + BATCH]
        query = first.union(*rest, all=True) if rest else first
        allowed.update(pk for (pk,) in query)
    return allowed
