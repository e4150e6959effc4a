"""Django admin works for supervisors and respects the same access layer as the portal. Which
role opens which admin page is in the access matrix (tests/access/test_matrix.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from janitorial_crm.roles import Role
from tests.factories import SiteMembershipFactory, make_user

pytestmark = pytest.mark.django_db


def test_admin_can_give_a_role_and_staff_follows(login, admin_user):
    user = make_user(None, username="waiting")
    response = login(admin_user).post(
        reverse("admin:janitorial_crm_user_change", args=[user.pk]),
        {
            "username": "waiting",
            "full_name": "Now Supervisor",
            "email": "waiting@example.com",
            "phone": "",
            "role": Role.SUPERVISOR.value,
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.SUPERVISOR
    assert user.is_staff


def test_a_staff_user_without_a_company_wide_role_sees_only_their_sites(login, other_site):
    # Should an inspector ever be made staff by hand, admin still scopes through for_user.
    inspector = make_user(Role.INSPECTOR, username="staffinspector")
    inspector.is_staff = True
    inspector.save()
    own = SiteMembershipFactory(user=inspector).site
    client = login(inspector)
    changelist = client.get("/admin/sites/clientsite/")
    assert changelist.status_code == 200
    codes = [site.site_code for site in changelist.context["cl"].result_list]
    assert codes == [own.site_code]
    assert client.get(f"/admin/sites/clientsite/{other_site.pk}/change/").status_code in (302, 404)


def test_an_admin_group_user_cannot_touch_a_superuser(login, admin_user, superuser):
    client = login(admin_user)
    change = client.get(reverse("admin:janitorial_crm_user_change", args=[superuser.pk]))
    assert change.status_code == 302  # "doesn't exist" redirect to the admin index
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk]).replace(
        "auth/user", "janitorial_crm/user"
    )
    response = client.post(
        password_url,
        {"password1": "taken-over-password", "password2": "taken-over-password"},
    )
    assert response.status_code in (302, 404)
    superuser.refresh_from_db()
    assert not superuser.check_password("taken-over-password")
    listed = client.get(reverse("admin:janitorial_crm_user_changelist"))
    assert superuser not in listed.context["cl"].result_list


def test_a_superuser_still_manages_superusers(login, superuser):
    other = make_user(None, username="root2", is_superuser=True, is_staff=True)
    url = reverse("admin:janitorial_crm_user_change", args=[other.pk])
    assert login(superuser).get(url).status_code == 200


def test_adding_a_user_in_admin_validates_the_password_and_sets_the_role(login, admin_user):
    client = login(admin_user)
    url = reverse("admin:janitorial_crm_user_add")
    data = {
        "username": "newtech",
        "email": "newtech@example.com",
        "full_name": "New Tech",
        "role": Role.TECHNICIAN.value,
        "password1": "a",
        "password2": "a",
    }
    weak = client.post(url, data)
    assert weak.status_code == 200
    assert weak.context["adminform"].form.errors["password2"]
    assert not get_user_model().objects.filter(username="newtech").exists()
    data["password1"] = data["password2"] = "a-long-unusual-passphrase"
    assert client.post(url, data).status_code == 302
    user = get_user_model().objects.get(username="newtech")
    assert user.role == Role.TECHNICIAN
    assert user.check_password("a-long-unusual-passphrase")
