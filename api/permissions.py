"""The API's permission class (its own module: DRF's settings import it while DRF loads)."""

from typing import TYPE_CHECKING

from django.db.models import Model
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request

    from api.gate import GatedViewSet


class GatePermission(BasePermission):
    def has_permission(self, request: "Request", view: "GatedViewSet") -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active) or user.role is None:
            return False
        codename = view.required_permission()
        return codename is None or user.has_perm(codename)

    def has_object_permission(self, request: "Request", view: "GatedViewSet", obj: Model) -> bool:
        predicate = view.object_permission()
        return predicate is None or bool(predicate(request.user, obj))
