import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from scheduling.views.board import ROWS_PER_PAGE
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import MONDAY, TODAY, queries_for, t

pytestmark = pytest.mark.django_db

User = get_user_model()
BOARD = reverse("scheduling:board")
# Session, user, groups (role), permissions (user + group), the nav's low-stock badge,
# technicians, the rows with visits (one GROUP BY), the page's visits, and the two filter
# dropdowns: fixed, whatever the rows.
BOARD_QUERY_BOUND = 15


def fill_week(count, technicians, sites):
    for n in range(count):
        VisitFactory(
            site=sites[n % len(sites)],
            assigned_to=technicians[n % len(technicians)] if n % 7 else None,
            service_date=MONDAY + dt.timedelta(days=n % 7),
            start_time=t(f"{(n * 2) % 24:02d}:00"),
            end_time=t(f"{(n * 2 + 1) % 24:02d}:30"),
            status=VisitStatus.values[n % len(VisitStatus.values)],
        )


class TestBoard:
    def test_the_week_grid_shows_technicians_days_and_status_colours(
        self, frozen, login, coordinator, technician, site
    ):
        missed = VisitFactory(
            site=site, assigned_to=technician, service_date=MONDAY, status=VisitStatus.MISSED
        )
        unassigned = VisitFactory(site=site, assigned_to=None, service_date=TODAY)
        overnight = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY,
            start_time=t("22:00"),
            end_time=t("02:00"),
        )
        next_week = VisitFactory(
            site=site, assigned_to=technician, service_date=MONDAY + dt.timedelta(days=7)
        )
        response = login(coordinator).get(BOARD)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Mon 23 Nov" in html and "Sun 29 Nov" in html
        assert str(technician) in html
        assert "board-visit-missed" in html
        assert 'class="board-unassigned"' in html
        assert "board-visit-unassigned" in html
        assert "22:00–02:00 (+1 day)" in html
        for visit in (missed, unassigned, overnight):
            assert visit.get_absolute_url() in html
        assert next_week.get_absolute_url() not in html
        rows = response.context["rows"]
        assert rows[0].unassigned
        tech_row = next(row for row in rows if row.technician == technician)
        # The overnight visit sits on the day it starts (Tuesday).
        assert overnight in tech_row.cells[1].visits

    def test_free_technicians_have_a_row_to_plan_into(self, frozen, login, coordinator):
        idle = make_user(Role.TECHNICIAN, full_name="Idle Ivan")
        html = login(coordinator).get(BOARD).content.decode()
        assert "Idle Ivan" in html
        assert f"assigned_to={idle.pk}" in html

    def test_week_navigation(self, frozen, login, coordinator, site, technician):
        later = VisitFactory(site=site, service_date=MONDAY + dt.timedelta(days=9))
        client = login(coordinator)
        html = client.get(BOARD).content.decode()
        next_monday = MONDAY + dt.timedelta(days=7)
        assert f"week={next_monday}" in html
        response = client.get(f"{BOARD}?week={next_monday + dt.timedelta(days=3)}")
        assert response.context["week"] == next_monday
        assert later.get_absolute_url() in response.content.decode()

    def test_a_bad_week_falls_back_to_this_week(self, frozen, login, coordinator):
        response = login(coordinator).get(f"{BOARD}?week=garbage")
        assert response.status_code == 200
        assert response.context["week"] == MONDAY

    def test_site_view_has_a_row_per_site(self, frozen, login, coordinator, site, other_site):
        VisitFactory(site=site, service_date=TODAY)
        VisitFactory(site=other_site, service_date=TODAY, assigned_to=None)
        response = login(coordinator).get(f"{BOARD}?view=site")
        labels = [row.label for row in response.context["rows"]]
        assert labels == [str(other_site), str(site)]  # by site code
        assert "Unassigned" in response.content.decode()

    def test_filters_by_site_technician_and_status(
        self, frozen, login, coordinator, technician, site, other_site
    ):
        client = login(coordinator)
        a = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        b = VisitFactory(site=other_site, service_date=TODAY, status=VisitStatus.MISSED)

        def shown(query):
            html = client.get(f"{BOARD}?{query}").content.decode()
            return {v for v in (a, b) if v.get_absolute_url() in html}

        assert shown(f"site={site.pk}") == {a}
        assert shown(f"assigned_to={technician.pk}") == {a}
        assert shown("status=missed") == {b}
        assert shown("status=nonsense") == {a, b}

    def test_technician_filter_shows_only_that_row(self, frozen, login, coordinator, technician):
        make_user(Role.TECHNICIAN, full_name="Someone Else")
        response = login(coordinator).get(f"{BOARD}?assigned_to={technician.pk}")
        assert [row.technician for row in response.context["rows"]] == [technician]

    @pytest.mark.parametrize("view", ["technician", "site"])
    def test_query_count_is_the_same_for_few_and_many_visits(
        self, frozen, login, coordinator, django_assert_max_num_queries, view
    ):
        technicians = [make_user(Role.TECHNICIAN) for _ in range(3)]
        sites = [ClientSiteFactory() for _ in range(3)]
        client = login(coordinator)
        url = f"{BOARD}?view={view}"
        fill_week(2, technicians, sites)
        with django_assert_max_num_queries(BOARD_QUERY_BOUND):
            _response, few = queries_for(client, url)

        technicians += [make_user(Role.TECHNICIAN) for _ in range(10)]
        sites += [ClientSiteFactory() for _ in range(10)]
        fill_week(120, technicians, sites)
        with django_assert_max_num_queries(BOARD_QUERY_BOUND):
            response, many = queries_for(client, url)
        assert response.context["visit_count"] == 122
        assert many == few


class TestBoardPages:
    def test_rows_are_paginated_with_the_filters_kept_in_the_page_links(
        self, frozen, login, coordinator, site
    ):
        for n in range(25):
            make_user(Role.TECHNICIAN, full_name=f"Tech {n:02d}")
        people = list(User.objects.active_technicians())  # the site's technician too
        first = VisitFactory(site=site, assigned_to=people[0], service_date=TODAY)
        last = VisitFactory(site=site, assigned_to=people[-1], service_date=TODAY)
        client = login(coordinator)

        page_one = client.get(f"{BOARD}?status=scheduled&week={MONDAY}")
        html = page_one.content.decode()
        assert len(page_one.context["rows"]) == ROWS_PER_PAGE
        assert page_one.context["visit_count"] == 2  # the whole week, not the page
        assert first.get_absolute_url() in html and last.get_absolute_url() not in html
        assert f"status=scheduled&amp;week={MONDAY}&amp;page=2" in html

        page_two = client.get(f"{BOARD}?status=scheduled&week={MONDAY}&page=2")
        html = page_two.content.decode()
        assert [row.technician for row in page_two.context["rows"]] == people[ROWS_PER_PAGE:]
        assert last.get_absolute_url() in html and first.get_absolute_url() not in html
        # The view toggle starts again at the first page; the week links keep the page.
        assert f"status=scheduled&amp;week={MONDAY}&amp;view=site" in html
        assert f"status=scheduled&amp;page=2&amp;week={MONDAY + dt.timedelta(days=7)}" in html

    def test_unassigned_and_other_assignees_keep_their_place_across_pages(
        self, frozen, login, coordinator, site
    ):
        for _ in range(ROWS_PER_PAGE - 1):
            make_user(Role.TECHNICIAN)
        people = list(User.objects.active_technicians())
        assert len(people) == ROWS_PER_PAGE
        gone = make_user(Role.TECHNICIAN, full_name="Zed Former", is_active=False)
        unassigned = VisitFactory(site=site, assigned_to=None, service_date=TODAY)
        old_job = VisitFactory(site=site, assigned_to=gone, service_date=TODAY)
        client = login(coordinator)

        rows = client.get(BOARD).context["rows"]
        assert rows[0].unassigned and unassigned in rows[0].cells[1].visits
        assert [row.technician for row in rows[1:]] == people[: ROWS_PER_PAGE - 1]

        response = client.get(f"{BOARD}?page=2")
        rows = response.context["rows"]
        assert [row.technician for row in rows] == [people[-1], gone]
        assert old_job.get_absolute_url() in response.content.decode()

    def test_site_view_pages_by_site_code(self, frozen, login, coordinator):
        sites = [ClientSiteFactory(site_code=f"PG-{n:03d}") for n in range(ROWS_PER_PAGE + 3)]
        for site in reversed(sites):
            VisitFactory(site=site, service_date=TODAY)
        client = login(coordinator)
        page_two = client.get(f"{BOARD}?view=site&page=2")
        assert [row.site for row in page_two.context["rows"]] == sites[ROWS_PER_PAGE:]
        assert page_two.context["visit_count"] == ROWS_PER_PAGE + 3


class TestMoveFromTheBoard:
    def test_plain_form_reassigns_and_reschedules_then_returns_to_the_board(
        self, frozen, login, coordinator, technician, site
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        other = make_user(Role.TECHNICIAN)
        client = login(coordinator)
        back = f"{BOARD}?week={TODAY}&view=site"
        url = reverse("scheduling:visit_move", args=[visit.pk])
        page = client.get(url, {"next": back})
        assert page.status_code == 200
        assert "<html" in page.content.decode()
        response = client.post(
            url,
            {
                "assigned_to": other.pk,
                "service_date": str(TODAY + dt.timedelta(days=1)),
                "start_time": "20:00",
                "end_time": "23:00",
                "next": back,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == back
        visit.refresh_from_db()
        assert (visit.assigned_to, visit.service_date, visit.start_time) == (
            other,
            TODAY + dt.timedelta(days=1),
            t("20:00"),
        )

    def test_an_offsite_next_is_ignored(self, frozen, login, coordinator, technician, site):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        response = login(coordinator).post(
            reverse("scheduling:visit_move", args=[visit.pk]),
            {
                "assigned_to": technician.pk,
                "service_date": str(TODAY),
                "start_time": "19:00",
                "end_time": "20:00",
                "next": "https://evil.example/",
            },
        )
        assert response["Location"] == BOARD

    def test_htmx_loads_the_form_in_the_card_and_refreshes_on_success(
        self, frozen, login, coordinator, technician, site
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(coordinator)
        url = reverse("scheduling:visit_move", args=[visit.pk])
        fragment = client.get(url, {"next": BOARD}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in fragment
        assert f'hx-post="{url}"' in fragment
        response = client.post(
            url,
            {
                "assigned_to": technician.pk,
                "service_date": str(TODAY),
                "start_time": "06:00",
                "end_time": "08:00",
                "next": BOARD,
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert response["HX-Refresh"] == "true"
        visit.refresh_from_db()
        assert visit.start_time == t("06:00")

    def test_a_clashing_move_answers_the_form_with_the_error(
        self, frozen, login, coordinator, technician, site
    ):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY, start_time=t("06:00"))
        visit = VisitFactory(site=site, assigned_to=None, service_date=TODAY)
        response = login(coordinator).post(
            reverse("scheduling:visit_move", args=[visit.pk]),
            {
                "assigned_to": technician.pk,
                "service_date": str(TODAY),
                "start_time": "18:00",
                "end_time": "22:00",
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "overlapping" in response.content.decode()
        visit.refresh_from_db()
        assert visit.assigned_to is None
