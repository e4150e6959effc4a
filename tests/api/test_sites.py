"""Sites over the API: the caller's scope; a client gets the summary only."""

import pytest
from django.urls import reverse

from tests.factories import ClientSiteFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:v1:site-list")


def test_a_technician_lists_their_sites_only(api, technician, site, other_site):
    response = api(technician).get(LIST)

    assert [row["site_code"] for row in response.json()["results"]] == ["OWN-1"]


def test_a_client_gets_the_summary_without_instructions_or_notes(api, client_user, site):
    site.instructions = "Alarm code 4321"
    site.internal_notes = "Late payer"
    site.save()

    data = api(client_user).get(reverse("api:v1:site-detail", args=[site.pk])).json()

    assert data["site_code"] == "OWN-1"
    assert not {"instructions", "internal_notes", "primary_contact"} & set(data)
    assert "4321" not in str(data)


def test_staff_see_the_instructions(api, technician, site):
    site.instructions = "Alarm code 4321"
    site.save()

    data = api(technician).get(reverse("api:v1:site-detail", args=[site.pk])).json()

    assert data["instructions"] == "Alarm code 4321"


def test_sites_are_ordered_by_name_and_filterable(api, coordinator):
    for code, name in (("B-1", "Beta"), ("A-1", "Alpha"), ("C-1", "Gamma")):
        ClientSiteFactory(site_code=code, site_name=name, client_name="Acme")

    names = [row["site_name"] for row in api(coordinator).get(LIST).json()["results"]]
    found = api(coordinator).get(LIST, {"q": "gamma"}).json()["results"]

    assert names == ["Alpha", "Beta", "Gamma"]
    assert [row["site_code"] for row in found] == ["C-1"]


def test_the_site_list_costs_the_same_for_20_and_200_sites(
    api, coordinator, django_assert_max_num_queries
):
    client = api(coordinator)
    ClientSiteFactory.create_batch(20)
    with django_assert_max_num_queries(9) as few:
        client.get(LIST)
    ClientSiteFactory.create_batch(180)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"page_size": 200})
    assert len(response.json()["results"]) == 200


SITE = {
    "site_code": "new-1",
    "site_name": "New Plaza",
    "address": "1 Main Street",
    "client_name": "Acme",
    "service_level": "standard",
}


def test_a_coordinator_creates_a_site_with_its_code_normalised(api, coordinator):
    response = api(coordinator).post(LIST, SITE)

    assert response.status_code == 201, response.json()
    assert response.json()["site_code"] == "NEW-1"


def test_a_code_taken_in_another_case_is_a_field_error(api, coordinator, site):
    response = api(coordinator).post(LIST, {**SITE, "site_code": "own-1"})

    assert response.status_code == 400
    assert "site_code" in response.json()["errors"]


def test_field_staff_and_clients_cannot_create_or_edit_sites(api, technician, client_user, site):
    url = reverse("api:v1:site-detail", args=[site.pk])
    for user in (technician, client_user):
        assert api(user).post(LIST, SITE).status_code == 403
        assert api(user).patch(url, {"site_name": "Hacked"}).status_code == 403
    site.refresh_from_db()
    assert site.site_name == "Own Tower"


def test_a_coordinator_deactivates_a_site(api, coordinator, site):
    response = api(coordinator).post(reverse("api:v1:site-deactivate", args=[site.pk]))

    assert response.status_code == 200
    site.refresh_from_db()
    assert site.active is False


def test_a_coordinator_grants_a_client_the_inspections_and_adds_a_member(
    api, coordinator, client_user, site
):
    from sites.models import SiteMembership
    from tests.factories import make_user

    client = api(coordinator)
    membership = SiteMembership.objects.get(site=site, user=client_user)
    url = reverse("api:v1:site-member", args=[site.pk, membership.pk])

    revoked = client.patch(url, {"can_see_inspections": False})
    newcomer = make_user("Technician", username="newcomer")
    added = client.post(reverse("api:v1:site-members", args=[site.pk]), {"user": newcomer.pk})

    assert (revoked.status_code, added.status_code) == (200, 201)
    membership.refresh_from_db()
    assert membership.can_see_inspections is False
    assert SiteMembership.objects.filter(site=site, user=newcomer).exists()


def test_the_grant_is_refused_for_staff_members_like_in_the_portal(
    api, coordinator, technician, site
):
    from sites.models import SiteMembership

    membership = SiteMembership.objects.get(site=site, user=technician)
    response = api(coordinator).patch(
        reverse("api:v1:site-member", args=[site.pk, membership.pk]),
        {"can_see_inspections": True},
    )

    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.can_see_inspections is False


def test_a_membership_of_another_site_is_a_404_through_this_sites_url(
    api, coordinator, site, other_site
):
    from tests.factories import SiteMembershipFactory

    elsewhere = SiteMembershipFactory(site=other_site)
    response = api(coordinator).delete(reverse("api:v1:site-member", args=[site.pk, elsewhere.pk]))

    assert response.status_code == 404
    assert elsewhere.__class__.objects.filter(pk=elsewhere.pk).exists()
