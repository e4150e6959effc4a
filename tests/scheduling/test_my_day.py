import datetime as dt
from urllib.parse import quote_plus

import pytest
from django.urls import reverse

from scheduling.models import VisitStatus
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
