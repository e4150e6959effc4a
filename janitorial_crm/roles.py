"""Roles: the six Django auth groups and the model permissions each one carries.

This is the one module (with the `for_user` querysets) where group names appear. Everything
else asks `user.has_perm(...)` or `user.role`.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "Admin", _("Administrator")
    SUPERVISOR = "Supervisor", _("Supervisor")
    COORDINATOR = "Coordinator", _("Operations coordinator")
    TECHNICIAN = "Technician", _("Cleaning technician")
    INSPECTOR = "Inspector", _("Quality inspector")
    CLIENT = "Client", _("Client")


# Roles that see every row of every domain model (docs/ACCESS.md).
COMPANY_WIDE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.COORDINATOR})
# Roles that work in Django admin; giving one of them a user makes the user staff.
STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})

_CRUD = ("view", "add", "change", "delete")


def _crud(app_model: str, actions: Iterable[str] = _CRUD) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


_ALL_DOMAIN = (
    _crud("sites.clientsite")
    | _crud("sites.sitemembership")
    | _crud("scheduling.cleaningschedule")
    | _crud("scheduling.visitseries")
    | _crud("inventory.supplyinventory")
    | _crud("inventory.stockmovement", ("view",))
    | _crud("inspections.siteinspectionlog")
    | _crud("inspections.inspectionphoto", ("view", "delete"))
    | {
        "scheduling.change_visit_status",
        "scheduling.manage_visits",
        "inventory.adjust_stock",
        "inventory.record_usage",
        "inspections.resolve_corrective_action",
        "inspections.change_any_inspection",
        "sites.manage_members",
        "sites.view_site_internals",
    }
)

# Webhooks for integrations (the api app): registered on the portal; staff also see them in admin.
_WEBHOOKS = (
    {"api.manage_webhooks"}
    | _crud("api.webhookendpoint")
    | _crud("api.webhookdelivery", ("view",))
    | _crud("api.webhookattempt", ("view",))
)

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.ADMIN: (
        _ALL_DOMAIN | _WEBHOOKS | _crud("janitorial_crm.user") | _crud("auth.group", ("view",))
    ),
    Role.SUPERVISOR: _ALL_DOMAIN | _WEBHOOKS | _crud("janitorial_crm.user", ("view",)),
    Role.COORDINATOR: (
        _crud("sites.clientsite", ("view", "add", "change"))
        | _crud("sites.sitemembership")
        | {"sites.manage_members", "sites.view_site_internals"}
        | _crud("scheduling.cleaningschedule", ("view", "add", "change"))
        | _crud("scheduling.visitseries", ("view", "add", "change"))
        | {"scheduling.change_visit_status", "scheduling.manage_visits"}
        | _crud("inventory.supplyinventory", ("view", "add", "change"))
        | _crud("inventory.stockmovement", ("view",))
        | {"inventory.adjust_stock", "inventory.record_usage"}
        | {"inspections.view_siteinspectionlog", "inspections.resolve_corrective_action"}
        | {"api.manage_webhooks"}
    ),
    Role.TECHNICIAN: {
        "sites.view_clientsite",
        "sites.view_site_internals",
        "scheduling.view_cleaningschedule",
        "scheduling.change_visit_status",
        "inventory.view_supplyinventory",
        "inventory.record_usage",
        "inspections.view_siteinspectionlog",
        "inspections.add_siteinspectionlog",
        "inspections.change_siteinspectionlog",
    },
    Role.INSPECTOR: {
        "sites.view_clientsite",
        "sites.view_site_internals",
        "scheduling.view_cleaningschedule",
        "inventory.view_supplyinventory",
        "inspections.view_siteinspectionlog",
        "inspections.add_siteinspectionlog",
        "inspections.change_siteinspectionlog",
        "inspections.change_any_inspection",
    },
    Role.CLIENT: {
        "sites.view_clientsite",
        "inspections.view_siteinspectionlog",
    },
}


def _permissions(codenames: set[str], using: str) -> list[Permission]:
    wanted = {tuple(name.split(".")) for name in codenames}
    perms = Permission.objects.using(using).select_related("content_type")
    found = [p for p in perms if (p.content_type.app_label, p.codename) in wanted]
    return found


@transaction.atomic
def setup_roles(*, using: str = "default") -> int:
    """Create the six groups and give each exactly its permissions. Idempotent.

    Returns the number of groups created (0 on a second run).
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # Our custom permissions must exist before groups can hold them, whatever order the
    # post_migrate handlers of the apps ran in.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    created = 0
    for role, codenames in ROLE_PERMISSIONS.items():
        group, was_created = Group.objects.using(using).get_or_create(name=role.value)
        created += was_created
        perms = _permissions(codenames, using)
        missing = codenames - {f"{p.content_type.app_label}.{p.codename}" for p in perms}
        if missing:
            # A permission named here but declared on no model is a programming error.
            raise LookupError(f"Unknown permissions for {role}: {sorted(missing)}")
        group.permissions.set(perms)
    return created
