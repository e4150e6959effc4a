"""The dispatch board and "My day" redraw themselves from the live stream: the stream each opens,
and its region's re-fetch (an htmx GET of the page aimed at the region) through the page's view
and gate, in a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from janitorial_crm.roles import Role
from tests.factories import ClientSiteFactory, SiteMembershipFactory, VisitFactory, make_user
from tests.live_pages import (
    element,
    htmx_headers,
    queries,
    refetch,
    region,
    stream,
    template_names,
    triggers,
)
from tests.scheduling.helpers import MONDAY, TODAY, t

pytestmark = pytest.mark.django_db

BOARD = reverse("scheduling:board")
MY_DAY = reverse("scheduling:my_day")
BOARD_REGION = "scheduling/includes/_board_live.html"
MY_DAY_REGION = "scheduling/includes/_my_day_live.html"
# The grid alone: session, user, groups, permissions ×2, the technicians, the rows with visits
# and the page's visits (no navigation, no filter dropdowns): fixed, whatever the visits.
BOARD_REGION_QUERY_BOUND = 10
# The cards alone: session, user, groups, permissions ×2 and the visits.
MY_DAY_REGION_QUERY_BOUND = 8


def fill_week(count, technicians, sites):
    for n in range(count):
        VisitFactory(
            site=sites[n % len(sites)],
            assigned_to=technicians[n % len(technicians)] if n % 5 else None,
            service_date=MONDAY + dt.timedelta(days=n % 7),
            start_time=t(f"{n % 24:02d}:00"),
            end_time=t(f"{n % 24:02d}:45"),
        )


class TestBoard:
    def test_listens_to_visits_and_its_grid_re_fetches_with_the_query_string(
        self, login, coordinator, site, live_stream
    ):
        url = f"{BOARD}?week={MONDAY + dt.timedelta(days=7)}&view=site&site={site.pk}&page=1"
        response = login(coordinator).get(url)
        # Coordinators see the low-stock badge: it listens to stock on the same stream.
        assert stream(response) == (live_stream, ["visit", "stock"], None)
        grid = region(response, "board-live")
        assert grid["hx-get"] == url
        assert triggers(grid) == ["sse:visit", "live:refresh"]

    def test_the_re_fetch_answers_the_grid_alone_with_the_change_in_it(
        self, login, coordinator, technician, site, live_stream
    ):
        client = login(coordinator)
        grid = region(client.get(BOARD), "board-live")
        VisitFactory(site=ClientSiteFactory(site_code="NEW-9"), assigned_to=technician)

        response = refetch(client, grid)

        assert response.status_code == 200
        assert template_names(response)[0] == BOARD_REGION
        assert "scheduling/board.html" not in template_names(response)
        content = response.content.decode()
        assert content.lstrip().startswith("<div") and "<html" not in content
        assert 'class="filter-form' not in content
        assert "NEW-9" in content
        assert "1 visit this week" in content
        assert region(response, "board-live")["hx-get"] == BOARD

    def test_the_re_fetch_keeps_the_week_view_and_filters(
        self, login, coordinator, technician, site, other_site, live_stream
    ):
        next_week = MONDAY + dt.timedelta(days=7)
        VisitFactory(site=site, assigned_to=technician, service_date=next_week)
        VisitFactory(site=other_site, assigned_to=technician, service_date=next_week)
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(coordinator)
        url = f"{BOARD}?week={next_week}&view=site&site={site.pk}"

        response = refetch(client, region(client.get(url), "board-live"))

        assert response.context["week"] == next_week
        assert [row.site for row in response.context["rows"]] == [site]
        assert response.context["visit_count"] == 1

    @pytest.mark.parametrize("role", ["technician", "inspector", "client_user"])
    def test_the_re_fetch_is_refused_exactly_like_the_board(self, request, login, role):
        client = login(request.getfixturevalue(role))
        page = client.get(BOARD)
        fragment = client.get(BOARD, headers=htmx_headers("board-live"))
        assert page.status_code == fragment.status_code == 403
        assert "403.html" in template_names(fragment)

    def test_an_anonymous_re_fetch_is_sent_to_log_in_like_the_board(self, client):
        response = client.get(BOARD, headers=htmx_headers("board-live"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize("view", ["technician", "site"])
    def test_the_re_fetch_runs_as_many_queries_for_few_and_many_visits(
        self, login, coordinator, django_assert_max_num_queries, view
    ):
        technicians = [make_user(Role.TECHNICIAN) for _ in range(3)]
        sites = [ClientSiteFactory() for _ in range(3)]
        client = login(coordinator)
        url = f"{BOARD}?view={view}"
        fill_week(2, technicians, sites)
        with django_assert_max_num_queries(BOARD_REGION_QUERY_BOUND):
            _response, few = queries(lambda: client.get(url, headers=htmx_headers("board-live")))

        technicians += [make_user(Role.TECHNICIAN) for _ in range(10)]
        sites += [ClientSiteFactory() for _ in range(10)]
        fill_week(100, technicians, sites)
        with django_assert_max_num_queries(BOARD_REGION_QUERY_BOUND):
            response, many = queries(lambda: client.get(url, headers=htmx_headers("board-live")))
        assert response.context["visit_count"] == 102
        assert many == few

    def test_an_open_move_form_holds_the_grid(self, login, coordinator, technician, site):
        visit = VisitFactory(site=site, assigned_to=technician)
        url = reverse("scheduling:visit_move", args=[visit.pk])
        fragment = login(coordinator).get(url, {"next": BOARD}, HTTP_HX_REQUEST="true")
        assert "data-live-hold" in fragment.content.decode()

    def test_a_plain_htmx_request_without_a_region_gets_the_page(self, login, coordinator):
        response = login(coordinator).get(BOARD, headers=htmx_headers("main"))
        assert template_names(response)[0] == "scheduling/board.html"


class TestMyDay:
    def test_listens_to_visits_and_its_cards_re_fetch_from_my_day(
        self, login, technician, live_stream
    ):
        response = login(technician).get(MY_DAY)
        assert stream(response) == (live_stream, ["visit"], None)  # no stock badge
        cards = region(response, "my-day-live")
        assert cards["hx-get"] == MY_DAY
        assert triggers(cards) == ["sse:visit", "live:refresh"]

    def test_a_reassignment_appears_and_a_visit_taken_away_disappears(
        self, login, technician, site, live_stream
    ):
        colleague = make_user(Role.TECHNICIAN, username="colleague")
        SiteMembershipFactory(site=site, user=colleague)
        mine = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        theirs = VisitFactory(site=site, assigned_to=colleague, service_date=TODAY)
        client = login(technician)
        cards = region(client.get(MY_DAY), "my-day-live")

        theirs.assigned_to = technician  # a coordinator hands it over…
        theirs.save()
        mine.assigned_to = colleague  # …and takes this one away
        mine.save()
        response = refetch(client, cards)

        assert response.status_code == 200
        assert template_names(response)[0] == MY_DAY_REGION
        assert "scheduling/my_day.html" not in template_names(response)
        assert element(response, f"visit-{theirs.pk}") is not None
        assert element(response, f"visit-{mine.pk}") is None

    @pytest.mark.parametrize("role", ["inspector", "client_user"])
    def test_the_re_fetch_is_refused_exactly_like_my_day(self, request, login, role):
        client = login(request.getfixturevalue(role))
        page = client.get(MY_DAY)
        fragment = client.get(MY_DAY, headers=htmx_headers("my-day-live"))
        assert page.status_code == fragment.status_code == 403

    def test_the_re_fetch_runs_as_many_queries_for_few_and_many_visits(
        self, login, technician, site, django_assert_max_num_queries
    ):
        client = login(technician)

        def add(count):
            for n in range(count):
                VisitFactory(
                    site=site,
                    assigned_to=technician,
                    service_date=TODAY + dt.timedelta(days=n % 2),
                    start_time=t(f"{n % 24:02d}:00"),
                    end_time=t(f"{n % 24:02d}:45"),
                )

        def fetch():
            return client.get(MY_DAY, headers=htmx_headers("my-day-live"))

        add(2)
        with django_assert_max_num_queries(MY_DAY_REGION_QUERY_BOUND):
            _response, few = queries(fetch)
        add(30)
        with django_assert_max_num_queries(MY_DAY_REGION_QUERY_BOUND):
            response, many = queries(fetch)
        assert response.content.decode().count('class="card visit-card') == 32
        assert many == few

    def test_a_redraw_keeps_the_message_a_card_shows(self, login, technician, site):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(technician)
        # Drawn in the list: an empty message slot that a redraw leaves as it is (hx-preserve)…
        slot = element(client.get(MY_DAY), f"visit-flash-{visit.pk}")
        assert "hx-preserve" in slot
        # …and the card's own answer brings its message, which must replace the slot.
        card = client.post(
            reverse("scheduling:visit_start", args=[visit.pk]), HTTP_HX_REQUEST="true"
        )
        message = element(card, f"visit-flash-{visit.pk}")
        assert "hx-preserve" not in message
        assert "Visit started." in card.content.decode()
