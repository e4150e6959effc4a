import pytest

from janitorial_crm.roles import Role
from sites.models import SiteMembership
from tests.factories import InspectionFactory, make_user

ADD_URL = "/sites/OWN-1/members/add/"


def membership(site, user):
    return SiteMembership.objects.get(site=site, user=user)


def remove_url(m):
    return f"/sites/{m.site.site_code}/members/{m.pk}/remove/"


def grant_url(m):
    return f"/sites/{m.site.site_code}/members/{m.pk}/grant/"


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.INSPECTOR, Role.SUPERVISOR])
def test_coordinator_adds_staff_to_a_site(login, coordinator, site, role):
    newcomer = make_user(role)
    response = login(coordinator).post(ADD_URL, {"user": newcomer.pk})
    assert response.status_code == 302
    assert response["Location"] == "/sites/OWN-1/#members"
    assert membership(site, newcomer).can_see_inspections is False


def test_coordinator_adds_a_client_with_the_inspection_grant(login, coordinator, site):
    facility_manager = make_user(Role.CLIENT)
    login(coordinator).post(ADD_URL, {"user": facility_manager.pk, "can_see_inspections": "on"})
    assert membership(site, facility_manager).can_see_inspections is True


def test_the_grant_is_refused_for_staff(login, coordinator, site):
    newcomer = make_user(Role.TECHNICIAN)
    response = login(coordinator).post(ADD_URL, {"user": newcomer.pk, "can_see_inspections": "on"})
    assert response.status_code == 200
    assert "can_see_inspections" in response.context["form"].errors
    assert not SiteMembership.objects.filter(user=newcomer).exists()


def test_member_choices_are_active_users_with_a_member_role_not_yet_on_the_site(
    login, coordinator, technician, site, waiting_user
):
    free = make_user(Role.TECHNICIAN)
    gone = make_user(Role.INSPECTOR, is_active=False)
    other_coordinator = make_user(Role.COORDINATOR)
    response = login(coordinator).get("/sites/OWN-1/")
    choices = set(response.context["member_form"].fields["user"].queryset)
    assert free in choices
    assert technician not in choices  # already a member
    assert gone not in choices
    assert waiting_user not in choices
    assert other_coordinator not in choices


@pytest.mark.parametrize("who", ["already_member", "inactive", "waiting"])
def test_adding_someone_who_is_not_a_choice_is_a_form_error(
    login, coordinator, technician, waiting_user, site, who
):
    user = {
        "already_member": technician,
        "inactive": make_user(Role.TECHNICIAN, is_active=False),
        "waiting": waiting_user,
    }[who]
    before = SiteMembership.objects.count()
    response = login(coordinator).post(ADD_URL, {"user": user.pk})
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert SiteMembership.objects.count() == before


def test_coordinator_removes_a_member(login, coordinator, technician, site):
    m = membership(site, technician)
    response = login(coordinator).post(remove_url(m))
    assert response.status_code == 302
    assert not SiteMembership.objects.filter(pk=m.pk).exists()


def test_revoking_the_grant_hides_inspections_from_the_client_at_once(
    login, client, coordinator, client_user, site
):
    InspectionFactory(site=site, score=91, findings="Spotless lobby.")
    m = membership(site, client_user)
    client.force_login(client_user)
    assert b"Spotless lobby." in client.get("/sites/OWN-1/report/").content

    client.force_login(coordinator)
    client.post(grant_url(m), {"can_see_inspections": "0"})
    m.refresh_from_db()
    assert m.can_see_inspections is False

    client.force_login(client_user)
    report = client.get("/sites/OWN-1/report/").content
    assert b"Spotless lobby." not in report
    assert b"Quality inspections" not in report
    assert b'id="portal-inspections"' not in client.get("/sites/OWN-1/").content

    client.force_login(coordinator)
    client.post(grant_url(m), {"can_see_inspections": "1"})
    m.refresh_from_db()
    assert m.can_see_inspections is True


def test_granting_a_staff_member_is_refused(login, coordinator, technician, site):
    m = membership(site, technician)
    response = login(coordinator).post(grant_url(m), {"can_see_inspections": "1"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.can_see_inspections is False


def test_a_grant_request_without_a_value_changes_nothing(login, coordinator, client_user, site):
    m = membership(site, client_user)
    login(coordinator).post(grant_url(m), {"can_see_inspections": "maybe"})
    m.refresh_from_db()
    assert m.can_see_inspections is True


def test_member_endpoints_are_post_only(login, coordinator, technician, site):
    client = login(coordinator)
    m = membership(site, technician)
    assert client.get(ADD_URL).status_code == 405
    assert client.get(remove_url(m)).status_code == 405
    assert client.get(grant_url(m)).status_code == 405
    assert SiteMembership.objects.filter(pk=m.pk).exists()


def test_htmx_requests_get_the_members_section_back(login, coordinator, technician, site):
    client = login(coordinator)
    newcomer = make_user(Role.INSPECTOR, full_name="Nora Newcomer")
    response = client.post(ADD_URL, {"user": newcomer.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="members"')
    assert "Nora Newcomer" in content
    assert "<html" not in content

    invalid = client.post(ADD_URL, {"user": technician.pk}, headers={"HX-Request": "true"})
    assert invalid.status_code == 200
    assert '<section id="members"' in invalid.content.decode()
    assert "invalid-feedback" in invalid.content.decode()


# --- The same rules in Django admin ----------------------------------------------------------

ADMIN_ADD = "/admin/sites/sitemembership/add/"


def test_admin_adds_a_client_member_with_the_grant(login, supervisor, site):
    facility_manager = make_user(Role.CLIENT)
    response = login(supervisor).post(
        ADMIN_ADD, {"site": site.pk, "user": facility_manager.pk, "can_see_inspections": "on"}
    )
    assert response.status_code == 302
    assert membership(site, facility_manager).can_see_inspections is True


def test_admin_refuses_users_who_cannot_be_members(login, supervisor, waiting_user, site):
    response = login(supervisor).post(ADMIN_ADD, {"site": site.pk, "user": waiting_user.pk})
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not SiteMembership.objects.filter(user=waiting_user).exists()


def test_admin_refuses_the_inspection_grant_for_staff(login, supervisor, site):
    newcomer = make_user(Role.TECHNICIAN)
    response = login(supervisor).post(
        ADMIN_ADD, {"site": site.pk, "user": newcomer.pk, "can_see_inspections": "on"}
    )
    assert response.status_code == 200
    assert "can_see_inspections" in response.context["adminform"].form.errors
    assert not SiteMembership.objects.filter(user=newcomer).exists()
