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
