"""No new visit in the past: decided by the planning services, shown by every form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scheduling import services
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from tests.scheduling.helpers import TODAY, at, t

pytestmark = pytest.mark.django_db

YESTERDAY = TODAY - dt.timedelta(days=1)


def slot(site, technician, coordinator):
    return {
        "site": site,
        "assigned_to": technician,
        "start_time": t("18:00"),
        "end_time": t("22:00"),
        "by": coordinator,
    }


def test_a_one_off_visit_in_the_past_is_refused_on_its_date(site, technician, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.visit_create(service_date=YESTERDAY, **slot(site, technician, coordinator))
    assert refused.value.message_dict == {"service_date": ["A new visit cannot be in the past."]}
    assert not CleaningSchedule.objects.exists()


def test_a_one_off_visit_today_is_planned(site, technician, coordinator):
    visit = services.visit_create(service_date=TODAY, **slot(site, technician, coordinator))
    visit.refresh_from_db()
    assert visit.service_date == TODAY


def test_a_series_starting_in_the_past_is_refused_on_its_first_date(site, technician, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.series_create(
            frequency=Frequency.DAILY,
            first_date=YESTERDAY,
            **slot(site, technician, coordinator),
        )
    assert refused.value.message_dict == {"first_date": ["A new visit cannot be in the past."]}
    assert not VisitSeries.objects.exists()


def test_changing_the_following_visits_from_a_visit_left_in_the_past_is_still_allowed(
    frozen, site, technician, coordinator
):
    series = services.series_create(
        frequency=Frequency.DAILY, first_date=TODAY, **slot(site, technician, coordinator)
    )
    first = series.visits.order_by("service_date").first()
    frozen.move_to(at(TODAY + dt.timedelta(days=2), 9))
    services.series_update_from(
        visit=first,
        by=coordinator,
        assigned_to=technician,
        first_date=first.service_date,
        start_time=t("06:00"),
        end_time=t("08:00"),
        frequency=Frequency.DAILY,
    )
    assert CleaningSchedule.objects.filter(
        service_date=TODAY, start_time=t("06:00"), status=VisitStatus.SCHEDULED
    ).exists()
