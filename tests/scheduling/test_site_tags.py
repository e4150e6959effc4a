"""The scheduling sections of the site hub (template tags the sites app includes)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from scheduling.models import VisitStatus
from tests.factories import VisitFactory
from tests.scheduling.helpers import MONDAY, TODAY, t

pytestmark = pytest.mark.django_db

WEEK = Template("{% load scheduling_tags %}{% site_week_visits site %}")
LOG = Template("{% load scheduling_tags %}{% site_visit_log site %}")


def render(template, user, site):
    request = RequestFactory().get("/")
    request.user = user
    return template.render(Context({"request": request, "site": site}))


class TestSiteWeekVisits:
    def test_staff_see_this_weeks_visits_with_status(self, frozen, coordinator, technician, site):
        done = VisitFactory(
            site=site, assigned_to=technician, service_date=MONDAY, status=VisitStatus.COMPLETED
        )
        tonight = VisitFactory(
            site=site,
            assigned_to=None,
            service_date=TODAY,
            start_time=t("22:00"),
            end_time=t("02:00"),
        )
        last_week = VisitFactory(site=site, service_date=MONDAY - dt.timedelta(days=1))
        html = render(WEEK, coordinator, site)
        assert done.get_absolute_url() in html
        assert tonight.get_absolute_url() in html
        assert last_week.get_absolute_url() not in html
        assert "status-completed" in html
        assert "Unassigned" in html
        assert "22:00–02:00 (+1 day)" in html

    def test_a_technician_sees_only_their_own(self, frozen, technician, site):
        mine = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        theirs = VisitFactory(site=site, service_date=TODAY)
        html = render(WEEK, technician, site)
        assert mine.get_absolute_url() in html
        assert theirs.get_absolute_url() not in html

    def test_an_empty_week_says_nothing_yet(self, frozen, coordinator, site):
        assert "Nothing yet." in render(WEEK, coordinator, site)

    @pytest.mark.parametrize("who", ["client_user", "anonymous"])
    def test_clients_and_anonymous_get_nothing(self, frozen, request, site, who):
        user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
        VisitFactory(site=site, service_date=TODAY)
        assert render(WEEK, user, site).strip() == ""

    def test_one_query_however_many_visits(
        self, frozen, coordinator, site, django_assert_num_queries
    ):
        for n in range(2):
            VisitFactory(site=site, service_date=MONDAY + dt.timedelta(days=n))
        # Warm the permission cache and the cached role, as the page (and its middleware) has.
        coordinator.has_perm("scheduling.view_cleaningschedule")
        coordinator.role  # noqa: B018
        with django_assert_num_queries(1):
            render(WEEK, coordinator, site)
        for n in range(20):
            VisitFactory(site=site, service_date=MONDAY + dt.timedelta(days=n % 7))
        with django_assert_num_queries(1):
            render(WEEK, coordinator, site)


class TestSiteVisitLog:
    def test_a_client_sees_dates_times_and_completion_only(self, frozen, client_user, site):
        VisitFactory(
            site=site,
            service_date=TODAY - dt.timedelta(days=1),
            status=VisitStatus.COMPLETED,
            notes="Internal: alarm code 4321",
        )
        VisitFactory(site=site, service_date=TODAY - dt.timedelta(days=2), status="missed")
        VisitFactory(site=site, service_date=TODAY + dt.timedelta(days=2))  # future
        VisitFactory(site=site, service_date=TODAY - dt.timedelta(3), status="cancelled")
        html = render(LOG, client_user, site)
        assert "Mon 23 Nov 2026" in html
        assert "18:00–22:00" in html
        assert "Completed" in html and "Missed" in html
        assert "Cancelled" not in html
        assert "Thu 26 Nov" not in html
        assert "4321" not in html
        assert "/visits/" not in html  # no links into staff pages

    def test_no_staff_names_are_shown(self, frozen, client_user, technician, site):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        assert str(technician) not in render(LOG, client_user, site)

    def test_someone_who_cannot_see_the_site_gets_nothing(self, frozen, client_user, other_site):
        VisitFactory(site=other_site, service_date=TODAY)
        assert render(LOG, client_user, other_site).strip() == ""

    def test_empty_log_says_nothing_yet(self, frozen, client_user, site):
        assert "Nothing yet." in render(LOG, client_user, site)

    def test_two_queries_however_many_visits(
        self, frozen, client_user, site, django_assert_num_queries
    ):
        client_user.role  # noqa: B018 - warm the cached role, as the page has
        VisitFactory(site=site, service_date=TODAY)
        with django_assert_num_queries(2):
            render(LOG, client_user, site)
        for n in range(30):
            VisitFactory(site=site, service_date=TODAY - dt.timedelta(days=n))
        with django_assert_num_queries(2):
            html = render(LOG, client_user, site)
        assert html.count("<tr>") == 21  # header + the last 20 visits
