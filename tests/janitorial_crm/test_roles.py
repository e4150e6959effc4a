import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from janitorial_crm.roles import ROLE_PERMISSIONS, Role, setup_roles
from janitorial_crm.services import user_set_role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def group_permissions():
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def test_every_role_group_exists_with_exactly_its_permissions():
    perms = group_permissions()
    assert set(perms) == {role.value for role in Role}
    for role, codenames in ROLE_PERMISSIONS.items():
        assert perms[role.value] == codenames


def test_setup_roles_twice_changes_nothing():
    before = group_permissions()
    assert setup_roles() == 0
    call_command("setup_roles")
    assert group_permissions() == before
    assert Group.objects.count() == len(Role)


def test_setup_roles_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=Role.TECHNICIAN)
    group.permissions.clear()
    setup_roles()
    assert group_permissions()[Role.TECHNICIAN] == ROLE_PERMISSIONS[Role.TECHNICIAN]


def test_role_is_derived_from_the_group():
    user = make_user(Role.INSPECTOR)
    assert user.role == Role.INSPECTOR
    assert make_user(None).role is None


@pytest.mark.parametrize(
    ("role", "staff"),
    [
        (Role.ADMIN, True),
        (Role.SUPERVISOR, True),
        (Role.COORDINATOR, False),
        (Role.TECHNICIAN, False),
        (Role.INSPECTOR, False),
        (Role.CLIENT, False),
    ],
)
def test_giving_a_role_keeps_is_staff_in_step(role, staff):
    user = make_user(Role.SUPERVISOR if not staff else Role.CLIENT)
    user_set_role(user=user, role=role)
    user.refresh_from_db()
    assert user.is_staff is staff
    assert user.role == role
    assert list(user.groups.values_list("name", flat=True)) == [role.value]


def test_removing_the_role_takes_away_staff_and_access():
    user = make_user(Role.SUPERVISOR)
    user_set_role(user=user, role=None)
    user.refresh_from_db()
    assert not user.is_staff
    assert user.role is None
    assert not user.has_perm("sites.view_clientsite")


def test_a_technician_holds_only_field_permissions():
    tech = make_user(Role.TECHNICIAN)
    assert tech.has_perm("scheduling.change_visit_status")
    assert not tech.has_perm("scheduling.manage_visits")
    assert not tech.has_perm("inventory.adjust_stock")
    assert not tech.has_perm("sites.change_clientsite")
