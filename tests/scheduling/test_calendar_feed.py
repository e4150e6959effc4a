import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from janitorial_crm.services import user_set_role
from scheduling.models import CalendarFeedToken, VisitStatus
from tests.factories import VisitFactory
from tests.scheduling.helpers import TODAY, d, t

pytestmark = pytest.mark.django_db

PAGE = reverse("scheduling:calendar_feed")
REGENERATE = reverse("scheduling:calendar_feed_regenerate")
REVOKE = reverse("scheduling:calendar_feed_revoke")


def feed_url(user):
    token = CalendarFeedToken.objects.get(user=user).token
    return reverse("scheduling:calendar_feed_ics", kwargs={"token": token})


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


class TestFeedPage:
    def test_create_show_regenerate_and_revoke_the_link(self, login, technician):
        client = login(technician)
        assert "Create my calendar link" in client.get(PAGE).content.decode()

        client.post(REGENERATE)
        first = feed_url(technician)
        page = client.get(PAGE).content.decode()
        assert f"http://testserver{first}" in page
        assert f"webcal://testserver{first}" in page

        client.post(REGENERATE)
        second = feed_url(technician)
        assert second != first
        client.logout()
        assert client.get(first).status_code == 404
        assert client.get(second).status_code == 200

        client = login(technician)
        client.post(REVOKE)
        assert client.get(second).status_code == 404
        assert "turned off" in client.get(PAGE).content.decode()

    def test_tokens_are_long_and_random(self, login, technician, coordinator):
        login(technician).post(REGENERATE)
        login(coordinator).post(REGENERATE)
        tokens = list(CalendarFeedToken.objects.values_list("token", flat=True))
        assert len(set(tokens)) == 2
        assert all(len(token) >= 40 for token in tokens)


class TestFeed:
    @pytest.fixture
    def client_with_feed(self, client, login, technician):
        login(technician).post(REGENERATE)
        client.logout()
        return client

    def test_the_feed_needs_no_login_and_parses_back(
        self, frozen, client_with_feed, technician, site
    ):
        evening = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        response = client_with_feed.get(feed_url(technician))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.content)
        assert str(calendar["version"]) == "2.0"
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == "America/New_York"
        (event,) = calendar.walk("VEVENT")
        assert str(event["uid"]) == f"visit-{evening.pk}@visits.janitorial-crm"
        assert str(event["summary"]) == f"{site.site_name} ({site.site_code})"
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start == dt.datetime(2026, 11, 24, 18, 0, tzinfo=ZoneInfo("America/New_York"))
        assert end - start == dt.timedelta(hours=4)
        assert event["dtstart"].params["TZID"] == "America/New_York"
        assert str(event["url"]).endswith(evening.get_absolute_url())
        assert site.address.split("\n")[0] in str(event["location"])

    def test_an_overnight_visit_ends_the_next_day_also_over_the_dst_change(
        self, client_with_feed, technician, site, frozen
    ):
        frozen.move_to(dt.datetime(2026, 10, 30, 12, 0, tzinfo=ZoneInfo("America/New_York")))
        VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=d("2026-10-31"),
            start_time=t("22:00"),
            end_time=t("02:00"),
        )
        (event,) = events(client_with_feed.get(feed_url(technician))).values()
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (start.date(), start.time()) == (d("2026-10-31"), t("22:00"))
        assert (end.date(), end.time()) == (d("2026-11-01"), t("02:00"))
        assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=5)

    def test_only_the_owners_upcoming_uncancelled_visits_are_in_it(
        self, frozen, client_with_feed, technician, site, other_site
    ):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        VisitFactory(
            site=other_site,
            assigned_to=technician,
            service_date=TODAY + dt.timedelta(days=2),
        )
        VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY + dt.timedelta(days=1),
            status=VisitStatus.CANCELLED,
        )
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY - dt.timedelta(30))
        VisitFactory(site=site, service_date=TODAY)  # someone else's
        calendar = icalendar.Calendar.from_ical(client_with_feed.get(feed_url(technician)).content)
        starts = sorted(event.decoded("dtstart").date() for event in calendar.walk("VEVENT"))
        assert starts == [TODAY, TODAY + dt.timedelta(days=2)]

    def test_instructions_and_notes_stay_out_of_the_feed(
        self, frozen, client_with_feed, technician, site
    ):
        site.instructions = "Alarm code 4321"
        site.save()
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY, notes="Key in box 9")
        body = client_with_feed.get(feed_url(technician)).content.decode()
        assert "4321" not in body
        assert "box 9" not in body

    def test_an_unknown_token_is_404(self, client, db):
        url = reverse("scheduling:calendar_feed_ics", kwargs={"token": "x" * 43})
        assert client.get(url).status_code == 404

    def test_a_deactivated_account_or_lost_role_closes_the_feed(self, client_with_feed, technician):
        url = feed_url(technician)
        user_set_role(user=technician, role=None)
        assert client_with_feed.get(url).status_code == 404
        user_set_role(user=technician, role="Technician")
        technician.is_active = False
        technician.save()
        assert client_with_feed.get(url).status_code == 404

    def test_the_feed_is_get_only(self, client_with_feed, technician):
        assert client_with_feed.post(feed_url(technician)).status_code == 405
