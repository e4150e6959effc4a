import datetime as dt
from urllib.parse import quote_plus

import pytest
from django.urls import reverse

from scheduling.models import CleaningSchedule, VisitStatus
from tests.factories import ClientSiteFactory, SiteMembershipFactory, VisitFactory
from tests.scheduling.helpers import TODAY, at, queries_for, t

pytestmark = pytest.mark.django_db

MY_DAY = reverse("scheduling:my_day")
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
# Session, user, groups, permissions ×2 and the visits: fixed, whatever the visits.
MY_DAY_QUERY_BOUND = 8


def listed(response):
    return [card["visit"] for _label, _day, cards in response.context["days"] for card in cards]


class TestMyDay:
    def test_today_and_tomorrow_in_time_order(self, frozen, login, technician, site):
        late = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        early = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY,
            start_time=t("06:00"),
            end_time=t("08:00"),
        )
        tomorrow = VisitFactory(site=site, assigned_to=technician, service_date=TOMORROW)
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY + dt.timedelta(2))
        VisitFactory(site=site, service_date=TODAY)  # someone else's

        response = login(technician).get(MY_DAY)

        assert response.status_code == 200
        assert listed(response) == [early, late, tomorrow]
        labels = [label for label, _day, _cards in response.context["days"]]
        assert labels == ["Today", "Tomorrow"]

    def test_overnight_visit_is_shown_on_the_day_it_starts(self, frozen, login, technician, site):
        tonight = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY,
            start_time=t("22:00"),
            end_time=t("02:00"),
        )
        response = login(technician).get(MY_DAY)
        (_label, day, cards) = response.context["days"][0]
        assert day == TODAY
        assert cards[0]["visit"] == tonight
        assert "22:00–02:00 (+1 day)" in response.content.decode()

    def test_after_midnight_last_nights_visit_is_still_there(self, frozen, login, technician, site):
        frozen.move_to(at(TODAY, 1, 0))
        running = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=YESTERDAY,
            start_time=t("22:00"),
            end_time=t("03:00"),
            status=VisitStatus.IN_PROGRESS,
        )
        VisitFactory(site=site, assigned_to=technician, service_date=YESTERDAY)  # long over
        response = login(technician).get(MY_DAY)
        label, day, cards = response.context["days"][0]
        assert (day, [card["visit"] for card in cards]) == (YESTERDAY, [running])
        assert label == "Still running from yesterday"
        assert cards[0]["can_complete"]

    def test_each_visit_shows_address_link_instructions_and_big_buttons(
        self, frozen, login, technician
    ):
        site = ClientSiteFactory(
            address="1 Library Plaza\nSpringfield", instructions="Staff door on Elm Street."
        )
        SiteMembershipFactory(site=site, user=technician)
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        html = login(technician).get(MY_DAY).content.decode()
        query = quote_plus("1 Library Plaza Springfield")
        assert f"https://www.google.com/maps/search/?api=1&amp;query={query}" in html
        assert "Staff door on Elm Street." in html
        assert reverse("scheduling:visit_start", args=[visit.pk]) in html
        assert reverse("scheduling:visit_note", args=[visit.pk]) in html
        assert "btn-lg w-100 visit-action" in html
        assert '<body class="field"' in html

    def test_the_buttons_follow_the_status(self, frozen, login, technician, site):
        started = VisitFactory(
            site=site, assigned_to=technician, service_date=TODAY, status=VisitStatus.IN_PROGRESS
        )
        done = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TOMORROW,
            status=VisitStatus.COMPLETED,
        )
        html = login(technician).get(MY_DAY).content.decode()
        assert reverse("scheduling:visit_complete", args=[started.pk]) in html
        assert reverse("scheduling:visit_start", args=[started.pk]) not in html
        assert reverse("scheduling:visit_start", args=[done.pk]) not in html
        assert reverse("scheduling:visit_complete", args=[done.pk]) not in html

    def test_start_from_my_day_without_javascript_comes_back_with_a_message(
        self, frozen, login, technician, site
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(technician)
        response = client.post(
            reverse("scheduling:visit_start", args=[visit.pk]), {"next": MY_DAY}, follow=True
        )
        assert response.redirect_chain == [(MY_DAY, 302)]
        assert "Visit started." in response.content.decode()

    def test_an_empty_day_says_so(self, frozen, login, technician):
        html = login(technician).get(MY_DAY).content.decode()
        assert html.count("No visits.") == 2

    def test_query_count_is_the_same_for_few_and_many_visits(
        self, frozen, login, technician, site, django_assert_max_num_queries
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

        add(2)
        with django_assert_max_num_queries(MY_DAY_QUERY_BOUND):
            _response, few = queries_for(client, MY_DAY)
        add(40)
        with django_assert_max_num_queries(MY_DAY_QUERY_BOUND):
            response, many = queries_for(client, MY_DAY)
        assert len(listed(response)) == 42
        assert many == few


class TestCurrentWork:
    """One definition of "today's work" (CleaningSchedule.objects.current_work), used by My day
    and the dashboard: today's visits plus yesterday's that are still under way."""

    @pytest.fixture
    def night(self, frozen, site, technician):
        frozen.move_to(at(TODAY, 1, 0))

        def visit(day, start, end, status=VisitStatus.SCHEDULED):
            return VisitFactory(
                site=site,
                assigned_to=technician,
                service_date=day,
                start_time=t(start),
                end_time=t(end),
                status=status,
            )

        return {
            "started_overnight": visit(YESTERDAY, "22:00", "03:00", VisitStatus.IN_PROGRESS),
            "not_started_overnight": visit(YESTERDAY, "23:00", "04:00"),
            "overnight_over": visit(YESTERDAY, "21:00", "00:30"),
            "evening_over": visit(YESTERDAY, "18:00", "22:00"),
            "done_overnight": visit(YESTERDAY, "20:00", "02:00", VisitStatus.COMPLETED),
            "today": visit(TODAY, "18:00", "22:00"),
            "tomorrow": visit(TOMORROW, "18:00", "22:00"),
        }

    def test_the_queryset_lists_today_and_what_still_runs_from_yesterday(self, night):
        found = set(CleaningSchedule.objects.current_work(at(TODAY, 1, 0)))
        expected = {"started_overnight", "not_started_overnight", "today"}
        assert found == {night[name] for name in expected}
        with_tomorrow = set(CleaningSchedule.objects.current_work(at(TODAY, 1, 0), days_ahead=1))
        assert with_tomorrow == found | {night["tomorrow"]}

    def test_my_day_lists_exactly_the_current_work_and_tomorrow(self, login, technician, night):
        response = login(technician).get(MY_DAY)
        names = {visit.pk: name for name, visit in night.items()}
        assert [names[visit.pk] for visit in listed(response)] == [
            "started_overnight",
            "not_started_overnight",
            "today",
            "tomorrow",
        ]
        labels = [label for label, _day, _cards in response.context["days"]]
        assert labels == ["Still running from yesterday", "Today", "Tomorrow"]

    def test_a_not_started_overnight_visit_drops_off_when_it_ends(self, frozen, night):
        frozen.move_to(at(TODAY, 4, 0))
        found = set(CleaningSchedule.objects.current_work(at(TODAY, 4, 0)))
        assert night["not_started_overnight"] not in found
        assert night["started_overnight"] in found
