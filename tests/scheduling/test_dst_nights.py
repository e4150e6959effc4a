"""Visits on the two nights a year the wall clock is not a straight line.

A visit's times are the site's wall clock. On 2027-03-14 02:00–02:59 never happens: a visit
starting or ending then is refused next to the field, in the portal and in admin. On 2027-11-07
01:00–01:59 happens twice: a visit at 01:30 is accepted and means the first time round.
"""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.models import CleaningSchedule, Frequency
from tests.admin_forms import admin_form_data
from tests.clock import FALL_BACK, SPRING_FORWARD, at
from tests.factories import VisitFactory
from tests.scheduling.helpers import plan, t

pytestmark = pytest.mark.django_db

CREATE = reverse("scheduling:visit_create")
SKIPPED = "does not exist on Sun 14 Mar 2027"


@pytest.fixture(autouse=True)
def _the_week_before(frozen):
    frozen.move_to(at(SPRING_FORWARD - dt.timedelta(days=7), 12))


def test_planning_a_visit_at_a_time_the_clock_skips_is_refused_next_to_the_start(
    login, coordinator, site, technician
):
    data = plan(site, technician, first_date=str(SPRING_FORWARD), start_time="02:30")
    response = login(coordinator).post(CREATE, data | {"end_time": "05:00"})

    assert response.status_code == 200
    assert SKIPPED in response.context["form"].errors["start_time"][0]
    assert not CleaningSchedule.objects.exists()


def test_an_overnight_visit_ending_in_the_skipped_hour_is_refused_next_to_the_end(
    login, coordinator, site, technician
):
    eve = SPRING_FORWARD - dt.timedelta(days=1)
    data = plan(site, technician, first_date=str(eve), start_time="22:00", end_time="02:30")
    response = login(coordinator).post(CREATE, data)

    assert SKIPPED in response.context["form"].errors["end_time"][0]
    assert not CleaningSchedule.objects.exists()


def test_a_weekly_series_is_checked_on_the_date_typed(login, coordinator, site, technician):
    data = plan(
        site,
        technician,
        first_date=str(SPRING_FORWARD),
        start_time="02:15",
        end_time="04:00",
        frequency=Frequency.WEEKLY,
    )
    response = login(coordinator).post(CREATE, data)

    assert SKIPPED in response.context["form"].errors["start_time"][0]


def test_a_visit_in_the_repeated_hour_is_accepted_and_starts_the_first_time_round(
    frozen, login, coordinator, site, technician
):
    frozen.move_to(at(FALL_BACK - dt.timedelta(days=7), 12))
    data = plan(site, technician, first_date=str(FALL_BACK), start_time="01:30", end_time="03:00")

    response = login(coordinator).post(CREATE, data)

    assert response.status_code == 302
    visit = CleaningSchedule.objects.get()
    assert visit.starts_at.astimezone(dt.UTC) == dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC)
    # 01:30 daylight time to 03:00 standard time: two and a half hours on site.
    assert visit.duration == dt.timedelta(hours=2, minutes=30)


def test_editing_a_visit_into_the_skipped_hour_changes_nothing(
    login, coordinator, site, technician
):
    visit = VisitFactory(site=site, assigned_to=technician, service_date=SPRING_FORWARD)
    url = reverse("scheduling:visit_update", args=[visit.pk])
    data = {
        "assigned_to": technician.pk,
        "service_date": str(SPRING_FORWARD),
        "start_time": "02:30",
        "end_time": "06:00",
        "notes": "",
    }

    response = login(coordinator).post(url, data)

    assert SKIPPED in response.context["form"].errors["start_time"][0]
    visit.refresh_from_db()
    assert visit.start_time == t("18:00")


def test_admin_refuses_a_visit_in_the_skipped_hour(login, supervisor, site, technician):
    visit = VisitFactory(site=site, assigned_to=technician, service_date=SPRING_FORWARD)
    url = reverse("admin:scheduling_cleaningschedule_change", args=[visit.pk])
    client = login(supervisor)

    response = client.post(url, admin_form_data(client.get(url), start_time="02:30"))

    assert response.status_code == 200
    assert SKIPPED in response.context["adminform"].form.errors["start_time"][0]
    visit.refresh_from_db()
    assert visit.start_time == t("18:00")


def test_admin_adds_a_visit_in_the_repeated_hour(frozen, login, supervisor, site, technician):
    frozen.move_to(at(FALL_BACK - dt.timedelta(days=7), 12))
    url = reverse("admin:scheduling_cleaningschedule_add")
    client = login(supervisor)
    data = admin_form_data(
        client.get(url),
        site=site.pk,
        assigned_to=technician.pk,
        service_date=str(FALL_BACK),
        start_time="01:30",
        end_time="03:00",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CleaningSchedule.objects.get().start_time == t("01:30")


def test_admin_refuses_a_series_starting_in_the_skipped_hour(login, supervisor, site, technician):
    url = reverse("admin:scheduling_visitseries_add")
    client = login(supervisor)
    data = admin_form_data(
        client.get(url),
        site=site.pk,
        assigned_to=technician.pk,
        frequency="weekly",
        first_date=str(SPRING_FORWARD),
        start_time="02:30",
        end_time="04:00",
        active="on",
    )

    response = client.post(url, data)

    assert SKIPPED in response.context["adminform"].form.errors["start_time"][0]
    assert not CleaningSchedule.objects.exists()
