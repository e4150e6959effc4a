"""Visits over the API: the portal's scope, field limits and transition rules."""

import pytest
from django.urls import reverse

from scheduling.models import CleaningSchedule, VisitStatus
from tests.clock import TODAY
from tests.factories import VisitFactory, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("api:v1:visit-list")


def detail(visit):
    return reverse("api:v1:visit-detail", args=[visit.pk])


def act(visit, name):
    return reverse(f"api:v1:visit-{name}", args=[visit.pk])


@pytest.fixture
def own_visit(site, technician):
    return VisitFactory(site=site, assigned_to=technician)


@pytest.fixture
def colleague_visit(site):
    return VisitFactory(site=site, assigned_to=make_user("Technician", username="colleague"))


def test_a_technician_lists_only_their_own_visits(api, technician, own_visit, colleague_visit):
    response = api(technician).get(LIST)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own_visit.pk]


def test_a_visit_outside_the_scope_is_a_404_like_a_missing_one(api, technician, colleague_visit):
    client = api(technician)

    assert client.get(detail(colleague_visit)).status_code == 404
    assert client.get(reverse("api:v1:visit-detail", args=[999999])).status_code == 404
    assert client.post(act(colleague_visit, "start")).status_code == 404


def test_a_client_may_not_read_visits_over_the_api(api, client_user, own_visit):
    # A client's visit log is part of the site summary; the visits resource is staff-only.
    assert api(client_user).get(LIST).status_code == 403
    assert api(client_user).get(detail(own_visit)).status_code == 403


def test_a_technician_starts_and_completes_their_visit(api, technician, own_visit):
    client = api(technician)

    started = client.post(act(own_visit, "start"))
    completed = client.post(act(own_visit, "complete"))

    assert (started.status_code, completed.status_code) == (200, 200)
    own_visit.refresh_from_db()
    assert own_visit.status == VisitStatus.COMPLETED
    assert own_visit.status_changes.count() == 2
    assert completed.json()["status"] == "completed"


def test_completing_a_visit_that_is_not_started_is_refused_and_changes_nothing(
    api, technician, own_visit
):
    response = api(technician).post(act(own_visit, "complete"))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    own_visit.refresh_from_db()
    assert own_visit.status == VisitStatus.SCHEDULED


def test_a_technician_cannot_replan_or_cancel_their_own_visit(api, technician, own_visit):
    client = api(technician)

    patched = client.patch(detail(own_visit), {"start_time": "06:00", "status": "completed"})
    cancelled = client.post(act(own_visit, "cancel"))

    assert (patched.status_code, cancelled.status_code) == (403, 403)
    own_visit.refresh_from_db()
    assert (own_visit.start_time.hour, own_visit.status) == (18, VisitStatus.SCHEDULED)


def test_a_note_is_appended_signed_and_timestamped(api, technician, own_visit):
    response = api(technician).post(act(own_visit, "note"), {"note": "Lobby door lock broken"})

    assert response.status_code == 200
    own_visit.refresh_from_db()
    assert own_visit.notes.endswith("Lobby door lock broken")
    assert own_visit.notes.startswith("[2026-11-24 12:00 ")


def test_a_coordinator_plans_and_replans_a_visit(api, coordinator, site, technician):
    client = api(coordinator)
    created = client.post(
        LIST,
        {
            "site": site.pk,
            "assigned_to": technician.pk,
            "service_date": str(TODAY),
            "start_time": "22:00",
            "end_time": "02:00",
        },
    )
    assert created.status_code == 201, created.json()
    visit = CleaningSchedule.objects.get()
    assert (visit.created_by, visit.is_overnight) == (coordinator, True)

    moved = client.patch(detail(visit), {"start_time": "21:00"})

    assert moved.status_code == 200, moved.json()
    visit.refresh_from_db()
    assert (visit.start_time.hour, visit.end_time.hour) == (21, 2)


def test_a_double_booking_is_refused_with_the_clash_named(api, coordinator, site, own_visit):
    response = api(coordinator).post(
        LIST,
        {
            "site": site.pk,
            "assigned_to": own_visit.assigned_to_id,
            "service_date": str(TODAY),
            "start_time": "19:00",
            "end_time": "20:00",
        },
    )

    assert response.status_code == 400
    assert "assigned_to" in response.json()["errors"]
    assert CleaningSchedule.objects.count() == 1


def test_a_visit_at_a_time_the_clock_skips_is_refused_like_in_the_portal(api, coordinator, site):
    response = api(coordinator).post(
        LIST,
        {"site": site.pk, "service_date": "2027-03-14", "start_time": "02:30", "end_time": "05:00"},
    )

    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["start_time"][0]


def test_the_visit_list_costs_the_same_for_20_and_200_visits(
    api, coordinator, site, technician, django_assert_max_num_queries
):
    client = api(coordinator)
    VisitFactory.create_batch(20, site=site, assigned_to=technician)
    with django_assert_max_num_queries(8) as few:
        client.get(LIST)
    VisitFactory.create_batch(180, site=site, assigned_to=technician)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"page_size": 200})
    assert len(response.json()["results"]) == 200


def test_updated_since_returns_only_rows_changed_since(api, frozen, coordinator, own_visit):
    from tests.clock import NOW

    frozen.move_to(NOW.replace(hour=13))
    changed = VisitFactory(site=own_visit.site, assigned_to=None)

    response = api(coordinator).get(LIST, {"updated_since": "2026-11-24T12:30:00-05:00"})

    assert [row["id"] for row in response.json()["results"]] == [changed.pk]


def test_a_stale_if_match_is_a_412_and_changes_nothing(api, coordinator, technician, own_visit):
    client = api(coordinator)
    etag = client.get(detail(own_visit))["ETag"]
    api(technician).post(act(own_visit, "note"), {"note": "changed meanwhile"})

    stale = client.patch(detail(own_visit), {"start_time": "19:00"}, HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    own_visit.refresh_from_db()
    assert own_visit.start_time.hour == 18
    fresh = client.get(detail(own_visit))["ETag"]
    response = client.patch(detail(own_visit), {"start_time": "19:00"}, HTTP_IF_MATCH=fresh)
    assert response.status_code == 200


def test_a_stale_if_match_also_guards_a_status_action(api, technician, own_visit):
    client = api(technician)
    etag = client.get(detail(own_visit))["ETag"]
    client.post(act(own_visit, "note"), {"note": "first"})

    response = client.post(act(own_visit, "start"), HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    own_visit.refresh_from_db()
    assert own_visit.status == VisitStatus.SCHEDULED


def test_the_series_list_costs_the_same_for_5_and_50_series(
    api, coordinator, site, django_assert_max_num_queries
):
    from tests.factories import VisitSeriesFactory

    client = api(coordinator)
    VisitSeriesFactory.create_batch(5, site=site)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("api:v1:series-list"))
    VisitSeriesFactory.create_batch(45, site=site)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("api:v1:series-list"))
    assert response.json()["count"] == 50


@pytest.mark.parametrize(
    "value",
    ["0259-02-14T11:55:44.8198-22:34", "9999-12-31T23:59:59+14:00", "yesterday", "2026-13-01"],
)
def test_an_updated_since_no_sync_can_mean_is_a_400(api, coordinator, value):
    response = api(coordinator).get(LIST, {"updated_since": value})

    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_an_updated_since_with_an_unusual_offset_is_read_in_utc(api, coordinator, own_visit):
    response = api(coordinator).get(LIST, {"updated_since": "2026-11-23T12:00-22:30"})

    assert [row["id"] for row in response.json()["results"]] == [own_visit.pk]
