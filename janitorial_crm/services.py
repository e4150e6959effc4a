"""Writes about accounts that do more than save one form."""

from django.contrib.auth.models import Group
from django.db import transaction

from janitorial_crm.roles import STAFF_ROLES, Role


@transaction.atomic
def user_set_role(*, user, role):
    """Give `user` exactly one role (or none), keeping is_staff in step with it."""
    role = Role(role) if role else None
    user.groups.clear()
    if role:
        user.groups.add(Group.objects.get(name=role.value))
    user.is_staff = user.is_superuser or role in STAFF_ROLES
    user.save(update_fields=["is_staff", "updated_at"])
    user.__dict__.pop("role", None)
    return user
