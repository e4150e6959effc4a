"""Planning checks double-booking past the horizon (the planning tests use 8 weeks).

A series is checked over its whole run, or a year when it ends later or never, against the
technician's visits and the dates their other series will fill; a one-off visit far ahead is
checked against those series too. What only shows up later (past that year) is left unassigned
by the nightly roll-forward, with a note saying why, on the board's "Unassigned" row.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from scheduling.models import CleaningSchedule, Frequency, VisitSeries
from scheduling.services.planning import CLASH_CHECK_DAYS
from tests.factories import ClientSiteFactory, VisitFactory
from tests.scheduling.helpers import TODAY, plan, t

pytestmark = pytest.mark.django_db

CREATE = reverse("scheduling:visit_create")
BOARD = reverse("scheduling:board")


def weeks(count):
    return TODAY + dt.timedelta(weeks=count)


def test_a_series_starting_past_the_horizon_is_refused_where_another_series_will_clash(
    frozen, login, coordinator, site, technician
):
    client = login(coordinator)
    client.post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
    assert VisitSeries.objects.count() == 1
    other = ClientSiteFactory()

    response = client.post(
        CREATE,
        plan(
            other,
            technician,
            frequency=Frequency.WEEKLY,
            first_date=str(weeks(10)),
            start_time="19:00",
            end_time="21:00",
        ),
    )

    assert response.status_code == 200
    assert "already has an overlapping visit" in response.content.decode()
    assert VisitSeries.objects.count() == 1
    assert not CleaningSchedule.objects.filter(site=other).exists()


def test_a_series_is_refused_where_it_meets_a_visit_planned_most_of_a_year_ahead(
    frozen, login, coordinator, site, technician
):
    VisitFactory(assigned_to=technician, service_date=weeks(40), start_time=t("20:00"))
    response = login(coordinator).post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
    assert response.status_code == 200
    assert "already has an overlapping visit" in response.content.decode()
    assert not VisitSeries.objects.exists()


def test_a_one_off_visit_past_the_horizon_is_refused_where_a_series_will_visit(
    frozen, login, coordinator, site, technician
):
    client = login(coordinator)
    client.post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
    other = ClientSiteFactory()
    response = client.post(
        CREATE, plan(other, technician, first_date=str(weeks(20)), start_time="21:00")
    )
    assert response.status_code == 200
    assert "already has an overlapping visit" in response.content.decode()
    assert not CleaningSchedule.objects.filter(site=other).exists()


def test_moving_a_series_visit_onto_a_later_date_of_its_own_series_is_not_a_clash(
    frozen, login, coordinator, site, technician
):
    client = login(coordinator)
    client.post(CREATE, plan(site, technician, frequency=Frequency.DAILY))
    visit = CleaningSchedule.objects.order_by("service_date").first()
    beyond = VisitSeries.objects.get().materialised_until + dt.timedelta(days=3)
    response = client.post(
        reverse("scheduling:visit_move", args=[visit.pk]),
        {
            "assigned_to": technician.pk,
            "service_date": str(beyond),
            "start_time": "18:00",
            "end_time": "22:00",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.service_date == beyond


def test_the_planner_is_told_how_far_the_series_was_checked(
    frozen, login, coordinator, site, technician
):
    client = login(coordinator)
    response = client.post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
    board = client.get(response["Location"]).content.decode()
    checked = TODAY + dt.timedelta(days=CLASH_CHECK_DAYS - 1)
    assert f"Checked for double-booking up to {checked.isoformat()}" in board


def test_a_clash_past_the_checked_year_is_left_unassigned_with_a_note_on_the_board(
    frozen, login, coordinator, site, technician
):
    far = TODAY + dt.timedelta(weeks=(CLASH_CHECK_DAYS // 7) + 4)
    VisitFactory(assigned_to=technician, service_date=far, start_time=t("20:00"))
    client = login(coordinator)
    client.post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY, notes="Key at desk"))
    series = VisitSeries.objects.get()

    call_command("extend_schedules", until=far, stdout=io.StringIO())

    left = series.visits.get(service_date=far)
    assert left.assigned_to is None
    assert left.notes.startswith("Key at desk\n")
    assert "Left unassigned:" in left.notes and "already has" in left.notes
    assigned = series.visits.exclude(pk=left.pk)
    assert assigned.count() == series.visits.count() - 1
    assert not assigned.filter(assigned_to__isnull=True).exists()
    board = client.get(BOARD, {"week": far.isoformat()})
    (unassigned,) = [row for row in board.context["rows"] if row.unassigned]
    assert left in [visit for cell in unassigned.cells for visit in cell.visits]
