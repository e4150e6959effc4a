"""Writes about accounts that do more than save one form."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction

from janitorial_crm.roles import STAFF_ROLES, Role

if TYPE_CHECKING:
    from janitorial_crm.models import User


@transaction.atomic
def user_set_role(*, user: "User", role: Role | str | None) -> "User":
    """Give `user` exactly one role (or none), keeping is_staff in step with it."""
    chosen = Role(role) if role else None
    user.groups.clear()
    if chosen:
        user.groups.add(Group.objects.get(name=chosen.value))
    user.is_staff = user.is_superuser or chosen in STAFF_ROLES
    user.save(update_fields=["is_staff", "updated_at"])
    user.__dict__.pop("role", None)
    return user
