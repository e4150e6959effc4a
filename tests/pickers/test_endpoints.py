"""The pickers' search endpoints: JSON options, scoped like the fields behind them."""

import pytest
from django.urls import reverse

from tests.factories import ClientSiteFactory, SiteMembershipFactory, VisitFactory, make_user

SITES = reverse("pickers:sites")


def options(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def texts(results):
    return [row["text"] for row in results]


@pytest.fixture
def many_sites(db):
    return ClientSiteFactory.create_batch(30)


def test_the_answer_is_value_and_text_per_option(login, coordinator, site):
    assert options(login(coordinator), SITES, q="own") == [
        {"value": str(site.pk), "text": "OWN-1 · Own Tower"}
    ]


def test_an_empty_query_gives_the_first_twenty_by_name(login, coordinator, many_sites, site):
    results = options(login(coordinator), SITES)
    assert len(results) == 20
    assert texts(results) == sorted(texts(results), key=lambda text: text.split(" · ")[1])


def test_the_query_matches_the_code_or_the_name_case_insensitively(
    login, coordinator, site, other_site
):
    client = login(coordinator)
    assert texts(options(client, SITES, q="other-")) == ["OTHER-1 · Other Plaza"]
    assert texts(options(client, SITES, q="TOWER")) == ["OWN-1 · Own Tower"]
    assert options(client, SITES, q="nowhere") == []


def test_a_client_finds_only_their_own_sites(login, client_user, site, other_site, many_sites):
    assert texts(options(login(client_user), SITES)) == ["OWN-1 · Own Tower"]
    assert options(login(client_user), SITES, q="other") == []


def test_a_technician_finds_their_sites_and_those_they_hold_a_visit_at(
    login, technician, site, other_site
):
    visited = ClientSiteFactory(site_code="VIS-1", site_name="Visited Hall")
    VisitFactory(site=visited, assigned_to=technician)
    assert texts(options(login(technician), SITES)) == ["OWN-1 · Own Tower", "VIS-1 · Visited Hall"]


def test_active_sites_leave_out_deactivated_ones(login, coordinator, site, other_site):
    other_site.active = False
    other_site.save()
    assert texts(options(login(coordinator), reverse("pickers:active_sites"))) == [
        "OWN-1 · Own Tower"
    ]


def test_the_inspection_list_sites_follow_the_clients_grant(login, site, other_site):
    nogrant = make_user("Client", username="nogrant")
    SiteMembershipFactory(site=other_site, user=nogrant, can_see_inspections=False)
    assert options(login(nogrant), reverse("pickers:inspection_sites")) == []


def test_a_technician_may_not_list_the_technicians_to_assign(login, technician):
    assert login(technician).get(reverse("pickers:technicians")).status_code == 403


def test_the_visit_filter_offers_the_technicians_of_the_visits_one_sees(
    login, inspector, site, other_site
):
    mine = make_user("Technician", username="mine", full_name="Mia Mine")
    theirs = make_user("Technician", username="theirs", full_name="Theo Theirs")
    VisitFactory(site=site, assigned_to=mine)
    VisitFactory(site=other_site, assigned_to=theirs)
    results = options(login(inspector), reverse("pickers:visit_technicians"))
    assert texts(results) == ["Mia Mine (mine)"]


def test_people_are_labelled_with_their_role_and_found_by_username(login, coordinator):
    make_user("Inspector", username="ines", full_name="Ines Field")
    results = options(login(coordinator), reverse("pickers:people"), q="INES")
    assert texts(results) == ["Ines Field (ines) · Quality inspector"]


def test_a_sites_member_picker_leaves_out_its_members(login, coordinator, technician, site):
    url = reverse("pickers:site_members", kwargs={"code": site.site_code})
    newcomer = make_user("Technician", username="newcomer", full_name="Nina Newcomer")
    results = options(login(coordinator), url)
    assert str(newcomer.pk) in {row["value"] for row in results}
    assert str(technician.pk) not in {row["value"] for row in results}


def test_a_long_query_is_cut_not_refused(login, coordinator, site):
    assert options(login(coordinator), SITES, q="x" * 5000) == []


def test_the_query_count_does_not_grow_with_the_data(
    login, coordinator, site, django_assert_max_num_queries
):
    client = login(coordinator)
    client.get(SITES)  # the session and permissions, once
    ClientSiteFactory.create_batch(40)
    for _ in range(3):
        make_user("Technician")
    with django_assert_max_num_queries(6):
        assert len(options(client, SITES)) == 20
    with django_assert_max_num_queries(7):
        assert options(client, reverse("pickers:people"))


def test_other_methods_are_answered_not_failed(login, coordinator):
    """The endpoints answer GET only: OPTIONS and POST are 405, never the search or an error."""
    client = login(coordinator)
    assert client.options(SITES).status_code == 405
    assert client.post(SITES).status_code == 405


def test_a_nul_byte_in_the_query_finds_nothing(login, coordinator, site):
    assert options(login(coordinator), SITES, q="own\x00") == []
