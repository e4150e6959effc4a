import pytest

from sites.models import ClientSite, ServiceLevel
from tests.factories import ClientSiteFactory, VisitFactory

CREATE_URL = "/sites/new/"


def form_data(**overrides):
    data = {
        "site_code": "hq-01",
        "site_name": "Head Office",
        "client_name": "Acme",
        "service_level": ServiceLevel.PREMIUM,
        "address": "1 Main Street",
        "primary_contact": "",
        "instructions": "Alarm code from the coordinator.",
        "internal_notes": "Pays late.",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "admin_user"])
def test_office_roles_create_a_site_with_an_uppercased_code(request, login, role):
    client = login(request.getfixturevalue(role))
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, form_data(site_code="  hq-01 "))
    site = ClientSite.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/sites/HQ-01/"
    assert site.site_code == "HQ-01"
    assert site.active is True
    assert site.internal_notes == "Pays late."


def test_a_taken_code_is_refused_whatever_its_case(login, coordinator, site):
    response = login(coordinator).post(CREATE_URL, form_data(site_code="own-1"))
    assert response.status_code == 200
    assert response.context["form"].errors["site_code"] == [
        "Site code OWN-1 is already used by another site."
    ]
    assert b"already used by another site" in response.content
    assert ClientSite.objects.count() == 1


@pytest.mark.parametrize("code", ["HQ/01", "-HQ", "HQ 01", "HQ.01", "ÄBC"])
def test_a_code_that_cannot_go_in_a_url_is_refused(login, coordinator, db, code):
    response = login(coordinator).post(CREATE_URL, form_data(site_code=code))
    assert "site_code" in response.context["form"].errors
    assert not ClientSite.objects.exists()


def test_required_fields_are_reported_next_to_the_field(login, coordinator, db):
    response = login(coordinator).post(CREATE_URL, form_data(site_name="", address=""))
    errors = response.context["form"].errors
    assert set(errors) == {"site_name", "address"}
    assert not ClientSite.objects.exists()


def test_primary_contact_choices_are_active_users_with_a_role(
    login, coordinator, technician, waiting_user, client_user
):
    technician.is_active = False
    technician.save()
    response = login(coordinator).get(CREATE_URL)
    choices = set(response.context["form"].fields["primary_contact"].queryset)
    assert client_user in choices
    assert coordinator in choices
    assert technician not in choices
    assert waiting_user not in choices
    refused = login(coordinator).post(CREATE_URL, form_data(primary_contact=waiting_user.pk))
    assert "primary_contact" in refused.context["form"].errors


def test_coordinator_edits_a_site_and_may_rename_its_code(login, coordinator, site):
    client = login(coordinator)
    response = client.get("/sites/OWN-1/edit/")
    assert response.status_code == 200
    response = client.post(
        "/sites/OWN-1/edit/", form_data(site_code="own-2", site_name="Own Tower East")
    )
    site.refresh_from_db()
    assert response["Location"] == "/sites/OWN-2/"
    assert (site.site_code, site.site_name) == ("OWN-2", "Own Tower East")


def test_saving_a_site_under_its_own_code_is_not_a_clash(login, coordinator, site):
    response = login(coordinator).post("/sites/OWN-1/edit/", form_data(site_code="OWN-1"))
    assert response.status_code == 302


def test_renaming_to_another_sites_code_is_refused(login, coordinator, site, other_site):
    response = login(coordinator).post("/sites/OWN-1/edit/", form_data(site_code="other-1"))
    assert "site_code" in response.context["form"].errors
    assert b'href="/sites/OWN-1/"' in response.content  # Cancel goes back to the saved code
    site.refresh_from_db()
    assert site.site_code == "OWN-1"


def test_site_urls_accept_a_lowercase_code(login, coordinator, site):
    assert login(coordinator).get("/sites/own-1/").status_code == 200


# --- Deactivate, reactivate, delete ----------------------------------------------------------


def test_coordinator_deactivates_and_reactivates_a_site(login, coordinator, site):
    client = login(coordinator)
    response = client.post("/sites/OWN-1/deactivate/")
    assert response["Location"] == "/sites/OWN-1/"
    site.refresh_from_db()
    assert site.active is False
    client.post("/sites/OWN-1/reactivate/")
    site.refresh_from_db()
    assert site.active is True


def test_deactivate_and_reactivate_are_post_only(login, coordinator, site):
    client = login(coordinator)
    assert client.get("/sites/OWN-1/deactivate/").status_code == 405
    assert client.get("/sites/OWN-1/reactivate/").status_code == 405
    site.refresh_from_db()
    assert site.active is True


def test_supervisor_deletes_a_site_without_history(login, supervisor, db):
    ClientSiteFactory(site_code="TYPO-1")
    client = login(supervisor)
    assert b"/sites/TYPO-1/delete/" in client.get("/sites/TYPO-1/").content
    response = client.post("/sites/TYPO-1/delete/")
    assert response["Location"] == "/sites/"
    assert not ClientSite.objects.filter(site_code="TYPO-1").exists()


def test_a_site_with_history_is_kept_and_deactivation_is_suggested(login, supervisor, site):
    VisitFactory(site=site)
    client = login(supervisor)
    assert b"/sites/OWN-1/delete/" not in client.get("/sites/OWN-1/").content
    response = client.post("/sites/OWN-1/delete/", follow=True)
    assert ClientSite.objects.filter(pk=site.pk).exists()
    assert b"deactivate it instead" in response.content
