import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from janitorial_crm.roles import Role
from tests.factories import (
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)

URL = "/sites/OWN-1/"


@pytest.fixture
def detailed_site(site, supervisor):
    supervisor.phone = "555-0100"
    supervisor.email = "sam.supervisor@example.com"
    supervisor.save()
    site.primary_contact = supervisor
    site.instructions = "Alarm code 4321 at the side door."
    site.internal_notes = "Contract renewal under negotiation."
    site.save()
    return site


def test_coordinator_sees_the_hub_with_internals_and_member_management(
    login, coordinator, detailed_site
):
    response = login(coordinator).get(URL)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/sites/clientsite_detail.html"
    content = response.content.decode()
    for text in (
        "Own Tower",
        "Alarm code 4321",
        "Contract renewal under negotiation.",
        "sam.supervisor@example.com",
        "555-0100",
        'id="hub-week-visits"',
        'id="hub-open-actions"',
        'id="hub-low-stock"',
        'id="hub-inspections"',
        'id="members"',
        "/sites/OWN-1/members/add/",
        "/sites/OWN-1/edit/",
        "/sites/OWN-1/deactivate/",
        "/sites/OWN-1/report/",
    ):
        assert text in content, text


def test_technician_sees_the_hub_without_management(login, technician, detailed_site):
    response = login(technician).get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Alarm code 4321" in content
    assert 'id="members"' not in content
    assert "/sites/OWN-1/edit/" not in content
    assert "/sites/OWN-1/deactivate/" not in content


def test_client_gets_the_portal_page_without_anything_internal(login, client_user, detailed_site):
    StockItemFactory(site=detailed_site, item_name="Secret bleach", quantity_on_hand=0)
    response = login(client_user).get(URL)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/sites/clientsite_portal.html"
    content = response.content.decode()
    assert "Own Tower" in content
    assert 'id="portal-visit-log"' in content
    assert 'id="portal-inspections"' in content  # the client holds the grant
    assert "/sites/OWN-1/report/" in content
    for secret in (
        "Alarm code 4321",
        "Contract renewal",
        "sam.supervisor@example.com",
        "555-0100",
        "Secret bleach",
        'id="members"',
        "/sites/OWN-1/edit/",
        "/sites/export.csv",
    ):
        assert secret not in content, secret


def test_client_without_the_grant_has_no_inspection_section(login, site):
    other_client = make_user(Role.CLIENT)
    SiteMembershipFactory(site=site, user=other_client, can_see_inspections=False)
    content = login(other_client).get(URL).content.decode()
    assert 'id="portal-visit-log"' in content
    assert 'id="portal-inspections"' not in content


def test_outsider_client_gets_not_found(login, client_user, site, other_site):
    assert login(client_user).get("/sites/OTHER-1/").status_code == 404


def test_anonymous_is_sent_to_login(client, site):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_waiting_user_is_sent_to_the_waiting_page(login, waiting_user, site):
    response = login(waiting_user).get(URL)
    assert response["Location"] == "/accounts/waiting/"


def _busy(site, count):
    for n in range(count):
        SiteMembershipFactory(site=site, user=make_user(Role.TECHNICIAN))
        VisitFactory(site=site)
        StockItemFactory(site=site, quantity_on_hand=0)
        InspectionFactory(site=site, corrective_actions=f"Fix {n}")


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "technician", "client_user"])
def test_detail_query_count_does_not_grow_with_the_site(
    request, login, site, role, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(role))
    _busy(site, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _busy(site, 15)
    # Ours: about 12 (session, user, permissions, site, members, member choices, history).
    # The hub tags of the other apps bring a few each, however many rows they show.
    with django_assert_max_num_queries(30):
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
