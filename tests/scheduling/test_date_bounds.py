"""Dates outside what a cleaning company plans with are form errors, never 500s or floods.

Every date field of the planning forms takes 2000-01-01..2100-12-31 (janitorial_crm.validators);
new visits and series start today or later, "this and following" no earlier than the visit it
changes; and however a series is planned, one call materialises a bounded number of visits.
"""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling import services
from scheduling.models import CleaningSchedule, Frequency, VisitSeries
from scheduling.services.planning import MATERIALISE_PAST_DAYS, MAX_DAYS_PER_CALL
from tests.factories import VisitFactory, VisitSeriesFactory
from tests.scheduling.helpers import MONDAY, TODAY, d, plan, t

pytestmark = pytest.mark.django_db

CREATE = reverse("scheduling:visit_create")
BOARD = reverse("scheduling:board")
OUT_OF_RANGE = "Enter a date between 2000-01-01 and 2100-12-31."
YESTERDAY = TODAY - dt.timedelta(days=1)


def field_errors(response, name):
    assert response.status_code == 200
    return [str(message) for message in response.context["form"].errors.get(name, [])]


class TestPlanningNewVisits:
    @pytest.mark.parametrize(
        ("frequency", "first_date"),
        [
            (Frequency.ONCE, "9999-12-31"),
            (Frequency.ONCE, "0001-01-01"),
            (Frequency.DAILY, "9999-06-01"),
            (Frequency.DAILY, "1990-01-01"),
            (Frequency.WEEKLY, "2101-01-01"),
        ],
    )
    def test_a_first_date_out_of_range_is_an_error_next_to_the_field(
        self, frozen, login, coordinator, site, technician, frequency, first_date
    ):
        data = plan(site, technician, frequency=frequency, first_date=first_date)
        response = login(coordinator).post(CREATE, data)
        assert field_errors(response, "first_date") == [OUT_OF_RANGE]
        assert not CleaningSchedule.objects.exists()
        assert not VisitSeries.objects.exists()

    def test_a_series_cannot_start_in_the_past(self, frozen, login, coordinator, site, technician):
        data = plan(site, technician, frequency=Frequency.DAILY, first_date=str(YESTERDAY))
        response = login(coordinator).post(CREATE, data)
        assert field_errors(response, "first_date") == ["A new visit cannot be in the past."]
        assert not CleaningSchedule.objects.exists()
        assert not VisitSeries.objects.exists()

    def test_a_one_off_visit_cannot_be_planned_in_the_past_either(
        self, frozen, login, coordinator, site, technician
    ):
        data = plan(site, technician, first_date=str(YESTERDAY))
        response = login(coordinator).post(CREATE, data)
        assert field_errors(response, "first_date") == ["A new visit cannot be in the past."]
        assert not CleaningSchedule.objects.exists()

    def test_end_and_skip_dates_out_of_range_are_errors_next_to_their_fields(
        self, frozen, login, coordinator, site, technician
    ):
        data = plan(
            site,
            technician,
            frequency=Frequency.WEEKLY,
            until="9999-12-31",
            skip_dates=f"{TODAY + dt.timedelta(weeks=1)}, 0001-01-01",
        )
        response = login(coordinator).post(CREATE, data)
        assert field_errors(response, "until") == [OUT_OF_RANGE]
        assert field_errors(response, "skip_dates") == [f"“0001-01-01”: {OUT_OF_RANGE}"]
        assert not VisitSeries.objects.exists()

    def test_the_last_day_in_range_is_accepted(self, frozen, login, coordinator, site, technician):
        data = plan(site, technician, first_date="2100-12-31")
        response = login(coordinator).post(CREATE, data)
        assert response.status_code == 302
        assert CleaningSchedule.objects.get().service_date == d("2100-12-31")


class TestChangingDates:
    @pytest.fixture
    def visit(self, site, technician):
        return VisitFactory(site=site, assigned_to=technician, service_date=TODAY)

    @pytest.mark.parametrize("route", ["scheduling:visit_update", "scheduling:visit_move"])
    @pytest.mark.parametrize("service_date", ["9999-12-31", "0001-01-01", "1999-12-31"])
    def test_moving_a_visit_out_of_range_is_an_error_next_to_the_date(
        self, frozen, login, coordinator, technician, visit, route, service_date
    ):
        data = {
            "assigned_to": technician.pk,
            "service_date": service_date,
            "start_time": "18:00",
            "end_time": "22:00",
            "notes": "",
        }
        response = login(coordinator).post(reverse(route, args=[visit.pk]), data)
        assert field_errors(response, "service_date") == [OUT_OF_RANGE]
        visit.refresh_from_db()
        assert visit.service_date == TODAY


class TestChangingThisAndFollowing:
    @pytest.fixture
    def series(self, frozen, site, technician, coordinator):
        return services.series_create(
            site=site,
            assigned_to=technician,
            frequency=Frequency.WEEKLY,
            first_date=TODAY,
            start_time=t("18:00"),
            end_time=t("22:00"),
            by=coordinator,
        )

    def post(self, client, visit, **overrides):
        data = {
            "assigned_to": visit.assigned_to_id,
            "first_date": str(visit.service_date),
            "start_time": "06:00",
            "end_time": "08:00",
            "frequency": Frequency.WEEKLY,
            "until": "",
            "skip_dates": "",
            "notes": "",
        }
        data.update(overrides)
        url = reverse("scheduling:visit_update_following", args=[visit.pk])
        return client.post(url, data)

    def assert_unchanged(self, series, before):
        series.refresh_from_db()
        assert series.active and series.until is None
        now = list(CleaningSchedule.objects.order_by("pk").values_list("pk", "start_time"))
        assert now == before

    @pytest.mark.parametrize("first_date", ["9999-12-01", "0001-01-01"])
    def test_a_new_rule_out_of_range_is_an_error_next_to_the_date(
        self, login, coordinator, series, first_date
    ):
        before = list(CleaningSchedule.objects.order_by("pk").values_list("pk", "start_time"))
        visit = series.visits.order_by("service_date")[1]
        response = self.post(login(coordinator), visit, first_date=first_date)
        assert field_errors(response, "first_date") == [OUT_OF_RANGE]
        self.assert_unchanged(series, before)

    def test_the_new_rule_cannot_start_before_the_visit_it_changes(
        self, login, coordinator, series
    ):
        before = list(CleaningSchedule.objects.order_by("pk").values_list("pk", "start_time"))
        visit = series.visits.order_by("service_date")[2]
        earlier = visit.service_date - dt.timedelta(days=1)
        response = self.post(login(coordinator), visit, first_date=str(earlier))
        assert field_errors(response, "first_date") == [
            "The new rule cannot start before the visit it changes."
        ]
        self.assert_unchanged(series, before)

    def test_end_and_skip_dates_out_of_range_are_refused(self, login, coordinator, series):
        before = list(CleaningSchedule.objects.order_by("pk").values_list("pk", "start_time"))
        visit = series.visits.order_by("service_date")[1]
        response = self.post(login(coordinator), visit, until="9999-12-31", skip_dates="9999-12-25")
        assert field_errors(response, "until") == [OUT_OF_RANGE]
        assert field_errors(response, "skip_dates") == [f"“9999-12-25”: {OUT_OF_RANGE}"]
        self.assert_unchanged(series, before)


class TestBoardWeek:
    @pytest.mark.parametrize(
        ("week", "monday"),
        [
            ("0001-01-01", d("1999-12-27")),  # 2000-01-01 is a Saturday
            ("9999-12-31", d("2100-12-27")),  # 2100-12-31 is a Friday
            ("nonsense", MONDAY),
        ],
    )
    def test_a_week_out_of_range_is_clamped_not_a_500(
        self, frozen, login, coordinator, week, monday
    ):
        response = login(coordinator).get(BOARD, {"week": week})
        assert response.status_code == 200
        assert response.context["week"] == monday


class TestMaterialisingIsBounded:
    """The services are also called by the nightly roll-forward and by admin: whatever dates
    they are given, one call creates a bounded number of visits and none long past."""

    def test_a_series_starting_long_ago_only_materialises_from_last_week_on(
        self, frozen, site, technician, coordinator
    ):
        # A new series cannot start in the past (the planning services refuse it), but a row
        # saved long ago and never rolled forward can.
        series = VisitSeriesFactory(
            site=site, assigned_to=technician, frequency=Frequency.DAILY, first_date=d("2000-01-01")
        )
        services.series_extend(series=series)
        dates = list(series.visits.order_by("service_date").values_list("service_date", flat=True))
        assert dates[0] == TODAY - dt.timedelta(days=MATERIALISE_PAST_DAYS)
        assert dates[-1] == services.horizon_date(TODAY)
        assert len(dates) == MATERIALISE_PAST_DAYS + 8 * 7 + 1

    def test_a_far_horizon_is_materialised_in_bounded_steps(
        self, frozen, site, technician, coordinator
    ):
        far = d("2100-12-31")
        series = services.series_create(
            site=site,
            assigned_to=None,
            frequency=Frequency.DAILY,
            first_date=TODAY,
            start_time=t("18:00"),
            end_time=t("22:00"),
            by=coordinator,
            horizon=far,
        )
        assert series.visits.count() == MAX_DAYS_PER_CALL
        last = series.visits.order_by("service_date").last().service_date
        series.refresh_from_db()
        assert series.materialised_until == last == TODAY + dt.timedelta(MAX_DAYS_PER_CALL - 1)

        created, _clashes = services.series_extend(series=series, horizon=far)
        assert len(created) == MAX_DAYS_PER_CALL
        assert created[0].service_date == last + dt.timedelta(days=1)
        assert series.visits.count() == 2 * MAX_DAYS_PER_CALL
