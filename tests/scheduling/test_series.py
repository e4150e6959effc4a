import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from scheduling import services
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from tests.factories import VisitFactory
from tests.scheduling.helpers import TODAY, d, t

pytestmark = pytest.mark.django_db


def weekly(site, technician, coordinator, **overrides):
    values = {
        "site": site,
        "assigned_to": technician,
        "frequency": Frequency.WEEKLY,
        "first_date": TODAY,
        "start_time": t("18:00"),
        "end_time": t("22:00"),
        "by": coordinator,
    }
    values.update(overrides)
    return services.series_create(**values)


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


class TestPlanningASeries:
    def test_visits_are_materialised_up_to_the_horizon_setting(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 4
        series = weekly(site, technician, coordinator)
        found = list(series.visits.values_list("service_date", flat=True))
        assert found == [TODAY + dt.timedelta(weeks=n) for n in range(5)]
        assert series.materialised_until == TODAY + dt.timedelta(weeks=4)
        visit = series.visits.first()
        assert (visit.site, visit.assigned_to, visit.frequency) == (
            site,
            technician,
            Frequency.WEEKLY,
        )
        assert visit.created_by == coordinator
        assert visit.status == VisitStatus.SCHEDULED

    def test_end_date_and_skip_dates_are_honoured(self, frozen, site, technician, coordinator):
        series = weekly(
            site,
            technician,
            coordinator,
            frequency=Frequency.DAILY,
            until=TODAY + dt.timedelta(days=3),
            skip_dates=[TODAY + dt.timedelta(days=1)],
        )
        assert list(series.visits.values_list("service_date", flat=True)) == [
            TODAY,
            TODAY + dt.timedelta(days=2),
            TODAY + dt.timedelta(days=3),
        ]
        assert series.skip_dates == [str(TODAY + dt.timedelta(days=1))]

    def test_a_rule_that_produces_no_visit_is_refused(self, frozen, site, technician, coordinator):
        saturday = d("2026-11-28")
        with pytest.raises(ValidationError, match="no visit"):
            weekly(
                site,
                technician,
                coordinator,
                frequency=Frequency.WEEKDAYS,
                first_date=saturday,
                until=saturday + dt.timedelta(days=1),
            )
        assert not VisitSeries.objects.exists()

    def test_zero_length_series_is_refused(self, frozen, site, technician, coordinator):
        with pytest.raises(ValidationError) as caught:
            weekly(site, technician, coordinator, end_time=t("18:00"))
        assert "end_time" in caught.value.message_dict


class TestExtendingSchedules:
    def test_extend_schedules_rolls_forward_and_is_idempotent(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 2
        series = weekly(site, technician, coordinator)
        assert series.visits.count() == 3
        frozen.shift(dt.timedelta(weeks=2))

        assert "2 visits created" in run("extend_schedules")
        assert "0 visits created" in run("extend_schedules")

        series.refresh_from_db()
        assert series.visits.count() == 5
        assert series.materialised_until == TODAY + dt.timedelta(weeks=4)

    def test_a_series_past_its_end_date_is_left_alone(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 1
        series = weekly(site, technician, coordinator, until=TODAY + dt.timedelta(weeks=2))
        frozen.shift(dt.timedelta(weeks=10))
        run("extend_schedules")
        run("extend_schedules")
        assert series.visits.count() == 3

    def test_a_moved_or_cancelled_visit_is_not_recreated(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 2
        series = weekly(site, technician, coordinator)
        first, second = series.visits.order_by("service_date")[:2]
        services.visit_update(
            visit=second,
            by=coordinator,
            assigned_to=technician,
            service_date=second.service_date + dt.timedelta(days=1),
            start_time=second.start_time,
            end_time=second.end_time,
        )
        services.visit_transition(visit=first, to_status=VisitStatus.CANCELLED, by=coordinator)
        frozen.shift(dt.timedelta(weeks=1))
        run("extend_schedules")
        dates = list(series.visits.values_list("service_date", flat=True))
        assert dates.count(TODAY + dt.timedelta(weeks=1)) == 0
        assert len(dates) == 4

    def test_an_extension_that_clashes_is_created_unassigned_and_reported(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 1
        series = weekly(site, technician, coordinator)
        clash_day = TODAY + dt.timedelta(weeks=2)
        VisitFactory(assigned_to=technician, service_date=clash_day, start_time=t("21:00"))
        frozen.shift(dt.timedelta(weeks=1))

        output = run("extend_schedules")

        extended = series.visits.get(service_date=clash_day)
        assert extended.assigned_to is None
        assert "Left unassigned" in output
        assert "1 visits created" in output

    def test_inactive_series_are_not_extended(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 1
        series = weekly(site, technician, coordinator)
        VisitSeries.objects.filter(pk=series.pk).update(active=False)
        frozen.shift(dt.timedelta(weeks=3))
        run("extend_schedules")
        assert series.visits.count() == 2

    def test_until_option_materialises_further_ahead(
        self, frozen, settings, site, technician, coordinator
    ):
        settings.SCHEDULE_HORIZON_WEEKS = 1
        series = weekly(site, technician, coordinator)
        run("extend_schedules", "--until", str(TODAY + dt.timedelta(weeks=3)))
        assert series.visits.count() == 4


class TestChangingASeries:
    def test_changing_this_visit_leaves_the_others_alone(
        self, frozen, site, technician, coordinator
    ):
        series = weekly(site, technician, coordinator)
        visits = list(series.visits.order_by("service_date"))
        services.visit_update(
            visit=visits[1],
            by=coordinator,
            assigned_to=technician,
            service_date=visits[1].service_date,
            start_time=t("07:00"),
            end_time=t("09:00"),
        )
        times = list(series.visits.order_by("service_date").values_list("start_time", flat=True))
        assert times[1] == t("07:00")
        assert set(times[:1] + times[2:]) == {t("18:00")}

    def test_moving_a_visit_onto_another_date_of_its_series_is_refused(
        self, frozen, site, technician, coordinator
    ):
        series = weekly(site, technician, coordinator)
        first, second = series.visits.order_by("service_date")[:2]
        with pytest.raises(ValidationError) as caught:
            services.visit_update(
                visit=first,
                by=coordinator,
                assigned_to=technician,
                service_date=second.service_date,
                start_time=t("06:00"),
                end_time=t("07:00"),
            )
        assert "service_date" in caught.value.message_dict

    def test_changing_this_and_following_splits_the_series(
        self, frozen, technician, coordinator, site
    ):
        other_tech = VisitFactory().assigned_to
        series = weekly(site, technician, coordinator)
        visits = list(series.visits.order_by("service_date"))
        services.visit_transition(visit=visits[0], to_status=VisitStatus.IN_PROGRESS, by=technician)
        cutoff = visits[2]

        first_new = services.series_update_from(
            visit=cutoff,
            by=coordinator,
            assigned_to=other_tech,
            first_date=cutoff.service_date + dt.timedelta(days=1),  # Wednesdays from now on
            start_time=t("19:00"),
            end_time=t("23:00"),
            frequency=Frequency.WEEKLY,
        )

        series.refresh_from_db()
        assert series.until == cutoff.service_date - dt.timedelta(days=1)
        old = list(series.visits.order_by("service_date"))
        assert [v.service_date for v in old] == [visits[0].service_date, visits[1].service_date]
        assert old[0].status == VisitStatus.IN_PROGRESS  # history is kept
        new_series = first_new.series
        assert new_series != series
        assert first_new.service_date == cutoff.service_date + dt.timedelta(days=1)
        assert first_new.assigned_to == other_tech
        assert {v.start_time for v in new_series.visits.all()} == {t("19:00")}
        assert new_series.materialised_until == TODAY + dt.timedelta(weeks=8)
        assert not CleaningSchedule.objects.filter(pk=cutoff.pk).exists()

    def test_changing_from_the_first_visit_replaces_the_whole_series(
        self, frozen, site, technician, coordinator
    ):
        series = weekly(site, technician, coordinator)
        first = series.visits.order_by("service_date").first()
        services.series_update_from(
            visit=first,
            by=coordinator,
            assigned_to=technician,
            first_date=first.service_date,
            start_time=t("06:00"),
            end_time=t("08:00"),
            frequency=Frequency.BIWEEKLY,
        )
        series.refresh_from_db()
        assert series.active is False
        assert not series.visits.exists()
        assert CleaningSchedule.objects.filter(start_time=t("06:00")).count() == 5

    def test_a_clash_in_the_new_rule_changes_nothing(self, frozen, site, technician, coordinator):
        series = weekly(site, technician, coordinator)
        visits = list(series.visits.order_by("service_date"))
        VisitFactory(
            assigned_to=technician,
            service_date=visits[3].service_date,
            start_time=t("08:00"),
            end_time=t("09:00"),
        )
        with pytest.raises(ValidationError):
            services.series_update_from(
                visit=visits[1],
                by=coordinator,
                assigned_to=technician,
                first_date=visits[1].service_date,
                start_time=t("07:00"),
                end_time=t("10:00"),
                frequency=Frequency.WEEKLY,
            )
        series.refresh_from_db()
        assert series.until is None
        assert series.visits.count() == len(visits)

    def test_cancelling_this_and_following_ends_the_series(
        self, frozen, settings, site, technician, coordinator
    ):
        series = weekly(site, technician, coordinator)
        visits = list(series.visits.order_by("service_date"))
        count = services.series_cancel_from(visit=visits[2], by=coordinator)

        assert count == len(visits) - 2
        statuses = list(series.visits.order_by("service_date").values_list("status", flat=True))
        assert statuses[:2] == [VisitStatus.SCHEDULED] * 2
        assert set(statuses[2:]) == {VisitStatus.CANCELLED}
        cancelled = series.visits.get(pk=visits[2].pk)
        assert cancelled.status_changed_by == coordinator
        assert cancelled.status_changes.get().to_status == VisitStatus.CANCELLED
        series.refresh_from_db()
        assert series.until == visits[2].service_date - dt.timedelta(days=1)
        frozen.shift(dt.timedelta(weeks=20))
        run("extend_schedules")
        assert series.visits.count() == len(visits)
