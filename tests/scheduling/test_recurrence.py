import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.models import CleaningSchedule, Frequency
from scheduling.recurrence import occurrences
from tests.scheduling.helpers import at, d, t

WINDOW = {"window_start": d("2026-01-01"), "window_end": d("2027-12-31")}


def dates(frequency, first, until=None, skip=(), **window):
    window = window or {"window_start": d(first), "window_end": d(until or "2027-12-31")}
    return [
        str(day)
        for day in occurrences(
            frequency=frequency,
            first_date=d(first),
            until=d(until) if until else None,
            skip_dates={d(s) for s in skip},
            **window,
        )
    ]


def test_once_is_the_first_date_only():
    assert dates(Frequency.ONCE, "2026-11-24", "2026-12-31") == ["2026-11-24"]


def test_daily_is_every_day_until_the_end_date_inclusive():
    assert dates(Frequency.DAILY, "2026-11-28", "2026-12-02") == [
        "2026-11-28",
        "2026-11-29",
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
    ]


def test_weekdays_skip_saturday_and_sunday():
    # Friday 27 Nov to Tuesday 1 Dec.
    assert dates(Frequency.WEEKDAYS, "2026-11-27", "2026-12-01") == [
        "2026-11-27",
        "2026-11-30",
        "2026-12-01",
    ]


def test_weekdays_series_starting_on_a_saturday_begins_on_monday():
    assert dates(Frequency.WEEKDAYS, "2026-11-28", "2026-11-30") == ["2026-11-30"]


def test_weekly_repeats_the_first_dates_weekday():
    assert dates(Frequency.WEEKLY, "2026-11-24", "2026-12-15") == [
        "2026-11-24",
        "2026-12-01",
        "2026-12-08",
        "2026-12-15",
    ]


def test_biweekly_is_every_second_week():
    assert dates(Frequency.BIWEEKLY, "2026-11-24", "2026-12-31") == [
        "2026-11-24",
        "2026-12-08",
        "2026-12-22",
    ]


def test_monthly_repeats_the_day_of_the_month():
    assert dates(Frequency.MONTHLY, "2026-11-15", "2027-02-28") == [
        "2026-11-15",
        "2026-12-15",
        "2027-01-15",
        "2027-02-15",
    ]


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months():
    assert dates(Frequency.MONTHLY, "2027-01-31", "2027-06-30") == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
    ]


def test_monthly_on_the_30th_and_29th_fall_on_the_end_of_february():
    assert dates(Frequency.MONTHLY, "2027-01-30", "2027-03-31")[1] == "2027-02-28"
    assert dates(Frequency.MONTHLY, "2027-01-29", "2027-03-31")[1] == "2027-02-28"
    # 2028 is a leap year: the 29th exists, the 30th falls on it.
    assert dates(Frequency.MONTHLY, "2028-01-29", "2028-03-31")[1] == "2028-02-29"
    assert dates(Frequency.MONTHLY, "2028-01-30", "2028-03-31")[1] == "2028-02-29"


def test_skip_dates_are_left_out():
    assert dates(
        Frequency.DAILY, "2026-12-24", "2026-12-27", skip=["2026-12-25", "2026-12-26"]
    ) == ["2026-12-24", "2026-12-27"]


def test_window_limits_the_dates_returned():
    found = dates(
        Frequency.WEEKLY,
        "2026-11-03",
        window_start=d("2026-11-20"),
        window_end=d("2026-12-05"),
    )
    assert found == ["2026-11-24", "2026-12-01"]


def test_window_before_the_first_date_is_empty():
    assert (
        dates(
            Frequency.DAILY, "2026-12-01", window_start=d("2026-11-01"), window_end=d("2026-11-30")
        )
        == []
    )


@settings(database=None, deadline=None)  # no example files in the tree; no timing flakes
@given(
    frequency=st.sampled_from([f for f in Frequency.values if f != Frequency.ONCE]),
    first=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=120),
)
def test_every_rule_stays_inside_its_bounds_and_is_sorted(frequency, first, days):
    until = first + dt.timedelta(days=days)
    found = occurrences(
        frequency=frequency,
        first_date=first,
        until=until,
        window_start=first,
        window_end=until,
    )
    assert found == sorted(set(found))
    assert all(first <= day <= until for day in found)
    if frequency == Frequency.WEEKDAYS:
        assert all(day.weekday() < 5 for day in found)
    if frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        assert all(day.weekday() == first.weekday() for day in found)
    if frequency == Frequency.MONTHLY:
        # One visit per month, never skipping one.
        assert len({(day.year, day.month) for day in found}) == len(found)


class TestDaylightSavingTime:
    """The company zone is America/New_York; clocks fall back at 02:00 on 1 Nov 2026."""

    def visit(self, day):
        return CleaningSchedule(service_date=day, start_time=t("22:00"), end_time=t("02:00"))

    def test_overnight_visit_over_the_fall_back_night_lasts_five_hours(self):
        visit = self.visit(d("2026-10-31"))
        assert visit.starts_at.utcoffset() == dt.timedelta(hours=-4)
        assert visit.ends_at.utcoffset() == dt.timedelta(hours=-5)
        assert visit.ends_at.date() == d("2026-11-01")
        assert visit.duration == dt.timedelta(hours=5)

    def test_the_same_visit_on_an_ordinary_night_lasts_four_hours(self):
        assert self.visit(d("2026-11-07")).duration == dt.timedelta(hours=4)

    def test_over_the_spring_forward_night_an_hour_is_lost(self):
        visit = CleaningSchedule(
            service_date=d("2026-03-07"), start_time=t("22:00"), end_time=t("04:00")
        )
        assert visit.duration == dt.timedelta(hours=5)

    @pytest.mark.django_db
    def test_daily_series_keeps_its_wall_clock_time_across_the_change(
        self, frozen, coordinator, technician, site
    ):
        from scheduling import services

        # Planned the week before (a series materialises nothing older than last week).
        frozen.move_to(at(d("2026-10-23"), 12))

        series = services.series_create(
            site=site,
            assigned_to=technician,
            frequency=Frequency.DAILY,
            first_date=d("2026-10-30"),
            until=d("2026-11-02"),
            start_time=t("22:00"),
            end_time=t("02:00"),
            by=coordinator,
            horizon=d("2026-12-31"),
        )
        visits = list(series.visits.order_by("service_date"))
        assert [v.service_date for v in visits] == [
            d("2026-10-30"),
            d("2026-10-31"),
            d("2026-11-01"),
            d("2026-11-02"),
        ]
        assert {(v.start_time, v.end_time) for v in visits} == {(t("22:00"), t("02:00"))}
        # 22:00 local each evening: 02:00 UTC before the change, 03:00 UTC after it.
        utc_hours = [v.starts_at.astimezone(dt.UTC).hour for v in visits]
        assert utc_hours == [2, 2, 3, 3]
        assert [v.duration.seconds // 3600 for v in visits] == [4, 5, 4, 4]
