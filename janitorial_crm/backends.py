"""The authentication backend: Django's ModelBackend, with permissions read through
`janitorial_crm.access_cache` (kept in the shared cache when there is one)."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from janitorial_crm.access_cache import access_of


class CachedPermissionsBackend(ModelBackend):
    """Logs users in exactly as ModelBackend does and answers the same permissions.

    The user's own and group permissions come from `access_of(user)`: with a shared cache
    (`CACHE_SHARED`) no query at all until the user's role or a group changes; without one, the
    same two queries that also give `User.role`, once per request.
    """

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perm_cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, perm_cache_name):
            access = access_of(user_obj)
            perms = access.user_perms if from_name == "user" else access.group_perms
            setattr(user_obj, perm_cache_name, set(perms))
        perms_of_user: set[str] = getattr(user_obj, perm_cache_name)
        return perms_of_user

    async def _aget_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        return await sync_to_async(self._get_permissions)(user_obj, obj, from_name)
