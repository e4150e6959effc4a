import datetime as dt
import hashlib
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from janitorial_crm.roles import Role
from janitorial_crm.services import user_set_role
from scheduling import services
from scheduling.models import CalendarFeedToken, VisitStatus
from tests.factories import VisitFactory, make_user
from tests.scheduling.helpers import TODAY, d, t

pytestmark = pytest.mark.django_db

PAGE = reverse("scheduling:calendar_feed")
REGENERATE = reverse("scheduling:calendar_feed_regenerate")
REVOKE = reverse("scheduling:calendar_feed_revoke")


def regenerate(client):
    """Press "make a new link"; the page it leads to shows the link, once. Its path."""
    response = client.post(REGENERATE, follow=True)
    assert response.status_code == 200
    return urlsplit(response.context["feed_url"]).path


def token_of(path):
    return path.rsplit("/", 1)[1].removesuffix(".ics")


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


class TestFeedPage:
    def test_create_show_regenerate_and_revoke_the_link(self, login, technician):
        client = login(technician)
        assert "Create my calendar link" in client.get(PAGE).content.decode()

        first = regenerate(client)
        assert first.startswith("/visits/calendar/")
        second = regenerate(client)
        assert second != first
        client.logout()
        assert client.get(first).status_code == 404
        assert client.get(second).status_code == 200

        client = login(technician)
        client.post(REVOKE)
        assert client.get(second).status_code == 404
        assert "turned off" in client.get(PAGE).content.decode()

    def test_the_link_is_shown_once_right_after_it_is_made(self, login, technician):
        client = login(technician)
        response = client.post(REGENERATE, follow=True)
        path = urlsplit(response.context["feed_url"]).path
        html = response.content.decode()
        assert f"http://testserver{path}" in html
        assert f"webcal://testserver{path}" in html

        later = client.get(PAGE)
        assert later.context.get("feed_url") is None
        assert token_of(path) not in later.content.decode()
        assert "Your calendar link is on" in later.content.decode()
        assert client.get(path).status_code == 200

    def test_a_link_replaced_meanwhile_from_another_device_is_not_shown(self, login, technician):
        client = login(technician)
        client.post(REGENERATE)  # the redirect is not followed yet
        services.calendar_token_regenerate(user=technician)  # the phone makes another one
        page = client.get(PAGE)
        assert page.context.get("feed_url") is None
        assert "Your calendar link is on" in page.content.decode()

    def test_only_a_hash_of_the_token_is_stored(self, login, technician):
        token = token_of(regenerate(login(technician)))
        row = CalendarFeedToken.objects.values().get(user=technician)
        assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {str(value) for value in row.values()}

    def test_tokens_are_long_and_random(self, login, technician, coordinator):
        tokens = {token_of(regenerate(login(user))) for user in (technician, coordinator)}
        assert len(tokens) == 2
        assert all(len(token) >= 40 for token in tokens)


class TestFeed:
    @pytest.fixture
    def client_with_feed(self, client, login, technician):
        client.feed_path = regenerate(login(technician))
        client.logout()
        return client

    def test_the_feed_needs_no_login_and_parses_back(
        self, frozen, client_with_feed, technician, site
    ):
        evening = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        response = client_with_feed.get(client_with_feed.feed_path)
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
        (event,) = events(client_with_feed.get(client_with_feed.feed_path)).values()
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (start.date(), start.time()) == (d("2026-10-31"), t("22:00"))
        assert (end.date(), end.time()) == (d("2026-11-01"), t("02:00"))
        assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=5)

    def test_only_the_owners_visits_from_last_week_on_are_in_it(
        self, frozen, client_with_feed, technician, site, other_site
    ):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        VisitFactory(
            site=other_site,
            assigned_to=technician,
            service_date=TODAY + dt.timedelta(days=2),
        )
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY - dt.timedelta(30))
        VisitFactory(site=site, service_date=TODAY)  # someone else's
        response = client_with_feed.get(client_with_feed.feed_path)
        calendar = icalendar.Calendar.from_ical(response.content)
        starts = sorted(event.decoded("dtstart").date() for event in calendar.walk("VEVENT"))
        assert starts == [TODAY, TODAY + dt.timedelta(days=2)]

    def test_an_upcoming_cancelled_visit_shows_as_cancelled_a_past_one_is_left_out(
        self, frozen, client_with_feed, technician, site
    ):
        kept = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        cancelled = VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY + dt.timedelta(days=1),
            status=VisitStatus.CANCELLED,
        )
        VisitFactory(
            site=site,
            assigned_to=technician,
            service_date=TODAY - dt.timedelta(days=1),
            status=VisitStatus.CANCELLED,
        )
        response = client_with_feed.get(client_with_feed.feed_path)
        calendar = icalendar.Calendar.from_ical(response.content)
        status = {str(event["uid"]): str(event["status"]) for event in calendar.walk("VEVENT")}
        assert status == {
            f"visit-{kept.pk}@visits.janitorial-crm": "CONFIRMED",
            f"visit-{cancelled.pk}@visits.janitorial-crm": "CANCELLED",
        }

    def test_a_revoked_link_stops_working_within_a_minute_of_caching(self, client_with_feed):
        response = client_with_feed.get(client_with_feed.feed_path)
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert directives == {"private", "max-age=60"}

    def test_instructions_and_notes_stay_out_of_the_feed(
        self, frozen, client_with_feed, technician, site
    ):
        site.instructions = "Alarm code 4321"
        site.save()
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY, notes="Key in box 9")
        body = client_with_feed.get(client_with_feed.feed_path).content.decode()
        assert "4321" not in body
        assert "box 9" not in body

    def test_an_unknown_token_is_404(self, client, db):
        url = reverse("scheduling:calendar_feed_ics", kwargs={"token": "x" * 43})
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("token", ["%00", "abc%00def", "a.b", "%20", "a%2Fb", "é"])
    def test_a_token_with_characters_outside_its_alphabet_is_404_on_every_database(
        self, client, db, token
    ):
        # %00 used to reach PostgreSQL, which refuses NUL in text: a ValueError and a 500.
        assert client.get(f"/visits/calendar/{token}.ics").status_code == 404

    def test_a_deactivated_account_or_lost_role_closes_the_feed(self, client_with_feed, technician):
        url = client_with_feed.feed_path
        user_set_role(user=technician, role=None)
        assert client_with_feed.get(url).status_code == 404
        user_set_role(user=technician, role="Technician")
        technician.is_active = False
        technician.save()
        assert client_with_feed.get(url).status_code == 404

    def test_the_feed_is_get_only(self, client_with_feed, technician):
        assert client_with_feed.post(client_with_feed.feed_path).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_links_working(client):
    """0003 replaces the stored tokens by their hashes: a phone subscribed before it keeps
    syncing with the same URL."""
    token = "plain-old-token-" + "x" * 27
    before = [("scheduling", "0002_status_history_feed_tokens")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        user = make_user(Role.TECHNICIAN)
        old_apps = executor.loader.project_state(before).apps
        old_apps.get_model("scheduling", "CalendarFeedToken").objects.create(
            user_id=user.pk, token=token
        )
    finally:
        # Back to the latest schema whatever happened: later tests of this worker use it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    row = CalendarFeedToken.objects.values().get(user=user)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    url = reverse("scheduling:calendar_feed_ics", kwargs={"token": token})
    assert client.get(url).status_code == 200
