"""The portal's gate, for the API: the same three checks in the same order.

1. model permission (`required_permissions[action]`) → 403 for a signed-in user without it
   (401 without credentials);
2. scope: every queryset starts from `Model.objects.for_user(user)` → 404, exactly like a
   missing object;
3. object predicate from the app's `permissions.py` (`object_permissions[action]`) → 403.

A viewset declares the three; it writes no permission code of its own.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import QuerySet
from rest_framework import viewsets

from api.permissions import GatePermission
from api.retry import RetrySafeMixin
from janitorial_crm.mixins import ObjectPredicate

_T = TypeVar("_T")


class GatedViewSet(RetrySafeMixin, viewsets.GenericViewSet):
    """Base of every API viewset. Subclasses set `queryset` (the model, for the schema; rows
    always come from its `for_user`), `required_permissions` and `object_permissions`: dicts
    from action name to a permission codename / a predicate, with "*" as the default."""

    permission_classes = [GatePermission]
    # Any path segment reaches the view, so a malformed id ("1.5") is the API's 404 in
    # problem+json like any missing object, not the portal's HTML page for an unknown URL.
    lookup_value_regex = "[^/]+"
    required_permissions: Mapping[str, str] = {}
    object_permissions: Mapping[str, ObjectPredicate] = {}

    def _for_action(self, table: Mapping[str, _T]) -> _T | None:
        return table.get(self.action, table.get("*"))

    def required_permission(self) -> str | None:
        return self._for_action(self.required_permissions)

    def object_permission(self) -> ObjectPredicate | None:
        return self._for_action(self.object_permissions)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(self.queryset.model.objects.for_user(self.request.user))

    def scope(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Narrow or prefetch the user's rows (select_related for what the serializer shows)."""
        return queryset
