"""The API's permission class (its own module: DRF's settings import it while DRF loads)."""

from rest_framework.permissions import BasePermission


class GatePermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active) or user.role is None:
            return False
        codename = view.required_permission()
        return codename is None or user.has_perm(codename)

    def has_object_permission(self, request, view, obj):
        predicate = view.object_permission()
        return predicate is None or bool(predicate(request.user, obj))
