"""The site hub, the client's site page and the navigation's low-stock badge redraw themselves
from the live stream: the stream each page opens (this site's events only), and each section's
re-fetch through the site page's own view and gate, in a bounded number of queries."""

from decimal import Decimal

import pytest

from janitorial_crm.roles import Role
from tests.factories import (
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)
from tests.live_pages import (
    htmx_headers,
    queries,
    refetch,
    region,
    stream,
    template_names,
    triggers,
)

pytestmark = pytest.mark.django_db

URL = "/sites/OWN-1/"
BADGE = "/nav/low-stock-badge/"
# Each region's events, as the page declares them.
HUB_REGIONS = {
    "hub-week-visits": ["sse:visit", "live:refresh"],
    "hub-open-actions": ["sse:inspection", "sse:action", "live:refresh"],
    "hub-low-stock": ["sse:stock", "live:refresh"],
    "hub-inspections": ["sse:inspection", "sse:action", "live:refresh"],
}
CLIENT_REGIONS = {
    "portal-visit-log": ["sse:visit", "live:refresh"],
    "portal-inspections": ["sse:inspection", "sse:action", "live:refresh"],
}
# One section: session, user, permissions, the site (by code), and the section's own one or
# two queries: fixed, however many rows the site has.
SECTION_QUERY_BOUND = 11
# The badge: session, user, groups, permissions ×2 and the count.
BADGE_QUERY_BOUND = 6


def busy(site, count):
    for n in range(count):
        VisitFactory(site=site)
        StockItemFactory(site=site, quantity_on_hand=0)
        InspectionFactory(site=site, corrective_actions=f"Fix {n}")


def partial(region_id):
    """A section's template: #hub-week-visits is portal/sites/includes/_hub_week_visits.html."""
    return f"portal/sites/includes/_{region_id.replace('-', '_')}.html"


def section(client, region_id, url=URL):
    return client.get(url, headers=htmx_headers(region_id))


class TestHub:
    def test_listens_to_every_type_of_this_site_only(self, login, coordinator, site, live_stream):
        response = login(coordinator).get(URL)
        assert stream(response) == (
            live_stream,
            ["visit", "stock", "inspection", "action"],
            str(site.pk),
        )
        for region_id, events in HUB_REGIONS.items():
            attrs = region(response, region_id)
            assert attrs["hx-get"] == URL, region_id
            assert triggers(attrs) == events, region_id

    @pytest.mark.parametrize("region_id", HUB_REGIONS)
    def test_a_section_re_fetches_alone_with_the_change_in_it(
        self, login, coordinator, site, region_id, live_stream
    ):
        client = login(coordinator)
        attrs = region(client.get(URL), region_id)
        VisitFactory(site=site)
        StockItemFactory(site=site, item_name="Blue towels", quantity_on_hand=0)
        InspectionFactory(site=site, score=41, corrective_actions="Mop the lobby")

        response = refetch(client, attrs)

        assert response.status_code == 200
        assert template_names(response)[0] == partial(region_id)
        assert "portal/sites/clientsite_detail.html" not in template_names(response)
        content = response.content.decode()
        assert "<html" not in content
        assert 'id="members"' not in content
        assert region(response, region_id) is not None
        expected = {
            "hub-week-visits": "Visits this week",
            "hub-open-actions": "Mop the lobby",
            "hub-low-stock": "Blue towels",
            "hub-inspections": "41",
        }[region_id]
        assert expected in content

    @pytest.mark.parametrize("role", ["technician", "inspector", "client_user"])
    def test_a_section_of_a_site_out_of_scope_is_not_found_like_the_page(
        self, request, login, other_site, role
    ):
        client = login(request.getfixturevalue(role))
        assert client.get("/sites/OTHER-1/").status_code == 404
        assert section(client, "hub-week-visits", "/sites/OTHER-1/").status_code == 404
        assert section(client, "hub-week-visits", "/sites/NOPE-1/").status_code == 404

    def test_an_anonymous_re_fetch_is_sent_to_log_in(self, client, site):
        response = section(client, "hub-week-visits")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize("region_id", HUB_REGIONS)
    def test_a_section_runs_as_many_queries_for_a_quiet_and_a_busy_site(
        self, login, coordinator, site, region_id, django_assert_max_num_queries
    ):
        client = login(coordinator)
        busy(site, 1)
        with django_assert_max_num_queries(SECTION_QUERY_BOUND):
            _response, few = queries(lambda: section(client, region_id))
        busy(site, 15)
        with django_assert_max_num_queries(SECTION_QUERY_BOUND):
            _response, many = queries(lambda: section(client, region_id))
        assert many == few


class TestClientSitePage:
    def test_listens_to_what_the_page_shows_of_this_site(
        self, login, client_user, site, live_stream
    ):
        response = login(client_user).get(URL)
        assert stream(response) == (live_stream, ["visit", "inspection", "action"], str(site.pk))
        for region_id, events in CLIENT_REGIONS.items():
            assert triggers(region(response, region_id)) == events, region_id
        for region_id in HUB_REGIONS:
            assert region(response, region_id) is None

    def test_without_the_inspection_grant_only_visits(self, login, site, live_stream):
        no_grant = make_user(Role.CLIENT)
        SiteMembershipFactory(site=site, user=no_grant, can_see_inspections=False)
        client = login(no_grant)
        response = client.get(URL)
        assert stream(response) == (live_stream, ["visit"], str(site.pk))
        assert region(response, "portal-inspections") is None
        # Asking for the section anyway gets the page, without it.
        asked = section(client, "portal-inspections")
        assert template_names(asked)[0] == "portal/sites/clientsite_portal.html"
        assert region(asked, "portal-inspections") is None

    @pytest.mark.parametrize("region_id", CLIENT_REGIONS)
    def test_a_section_re_fetches_alone(self, login, client_user, site, region_id):
        InspectionFactory(site=site, score=52)
        response = section(login(client_user), region_id)
        assert response.status_code == 200
        assert template_names(response)[0] == partial(region_id)
        assert region(response, region_id) is not None
        assert "<html" not in response.content.decode()

    def test_a_client_never_gets_a_staff_section(self, login, client_user, site):
        StockItemFactory(site=site, item_name="Secret bleach", quantity_on_hand=0)
        response = section(login(client_user), "hub-low-stock")
        assert template_names(response)[0] == "portal/sites/clientsite_portal.html"
        assert "Secret bleach" not in response.content.decode()

    @pytest.mark.parametrize("region_id", CLIENT_REGIONS)
    def test_a_section_runs_as_many_queries_for_a_quiet_and_a_busy_site(
        self, login, client_user, site, region_id, django_assert_max_num_queries
    ):
        client = login(client_user)
        busy(site, 1)
        with django_assert_max_num_queries(SECTION_QUERY_BOUND):
            _response, few = queries(lambda: section(client, region_id))
        busy(site, 15)
        with django_assert_max_num_queries(SECTION_QUERY_BOUND):
            _response, many = queries(lambda: section(client, region_id))
        assert many == few


class TestLowStockBadge:
    def test_redraws_itself_from_its_own_fragment_on_stock_events(
        self, login, coordinator, live_stream
    ):
        response = login(coordinator).get("/visits/board/")
        badge = region(response, "nav-low-stock")
        assert badge["hx-get"] == BADGE
        assert triggers(badge) == ["sse:stock", "live:refresh"]
        assert "stock" in stream(response)[1]

    def test_the_fragment_is_the_badge_alone_with_the_count(
        self, login, coordinator, site, other_site
    ):
        StockItemFactory(site=site, quantity_on_hand=0)
        StockItemFactory(site=other_site, quantity_on_hand=Decimal("1"))
        StockItemFactory(site=site, quantity_on_hand=40)
        response = refetch(login(coordinator), {"hx-get": BADGE, "id": "nav-low-stock"})
        assert response.status_code == 200
        assert template_names(response)[0] == "includes/_low_stock_badge.html"
        content = response.content.decode()
        assert "<html" not in content
        assert 'id="low-stock-badge">2<' in content

    def test_with_nothing_low_the_fragment_is_an_empty_badge(self, login, coordinator, site):
        StockItemFactory(site=site, quantity_on_hand=40)
        response = login(coordinator).get(BADGE, headers=htmx_headers("nav-low-stock"))
        assert region(response, "nav-low-stock") is not None
        assert 'id="low-stock-badge"' not in response.content.decode()

    @pytest.mark.parametrize("role", ["technician", "inspector", "client_user"])
    def test_who_has_no_badge_gets_no_fragment(self, request, login, site, role):
        user = request.getfixturevalue(role)
        StockItemFactory(site=site, quantity_on_hand=0)
        client = login(user)
        assert region(client.get("/sites/"), "nav-low-stock") is None
        response = client.get(BADGE, headers=htmx_headers("nav-low-stock"))
        assert response.status_code == 403

    def test_a_page_without_the_badge_does_not_listen_to_stock(
        self, login, technician, live_stream
    ):
        assert stream(login(technician).get("/visits/my-day/"))[1] == ["visit"]

    def test_the_fragment_runs_a_fixed_number_of_queries(
        self, login, coordinator, site, django_assert_max_num_queries
    ):
        client = login(coordinator)
        for _ in range(20):
            StockItemFactory(site=site, quantity_on_hand=0)
        with django_assert_max_num_queries(BADGE_QUERY_BOUND):
            response = client.get(BADGE, headers=htmx_headers("nav-low-stock"))
        assert 'id="low-stock-badge">20<' in response.content.decode()
