import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from janitorial_crm.roles import Role
from scheduling import services
from scheduling.models import CleaningSchedule, Frequency, VisitStatus
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import TODAY, d, t

pytestmark = pytest.mark.django_db


def book(technician, by, day, start, end, site=None):
    return services.visit_create(
        site=site or ClientSiteFactory(),
        assigned_to=technician,
        service_date=d(day),
        start_time=t(start),
        end_time=t(end),
        by=by,
    )


class TestTimes:
    def test_a_visit_ending_when_it_starts_is_refused(self, technician, coordinator):
        with pytest.raises(ValidationError) as caught:
            book(technician, coordinator, "2026-12-01", "18:00", "18:00")
        assert "end_time" in caught.value.message_dict
        assert not CleaningSchedule.objects.exists()

    def test_an_end_before_the_start_is_an_overnight_visit(self, technician, coordinator):
        visit = book(technician, coordinator, "2026-12-01", "22:00", "02:00")
        assert visit.is_overnight
        assert visit.end_date == d("2026-12-02")
        assert visit.duration == dt.timedelta(hours=4)


class TestOverlaps:
    @pytest.mark.parametrize(
        ("day", "start", "end"),
        [
            ("2026-12-01", "21:00", "23:00"),  # overlaps the evening part
            ("2026-12-02", "01:00", "03:00"),  # overlaps the part after midnight
            ("2026-12-01", "23:00", "01:00"),  # overnight inside overnight
            ("2026-12-01", "20:00", "06:00"),  # covers it entirely
        ],
    )
    def test_overlapping_an_overnight_visit_is_refused(
        self, technician, coordinator, day, start, end
    ):
        book(technician, coordinator, "2026-12-01", "22:00", "02:00")
        with pytest.raises(ValidationError) as caught:
            book(technician, coordinator, day, start, end)
        message = caught.value.message_dict["assigned_to"][0]
        assert "overlapping" in message
        assert "Tue 1 Dec 2026, 22:00–02:00" in message

    @pytest.mark.parametrize(
        ("day", "start", "end"),
        [
            ("2026-12-01", "18:00", "22:00"),  # ends as the other starts
            ("2026-12-02", "02:00", "06:00"),  # starts as the other ends
            ("2026-11-30", "22:00", "02:00"),  # the night before
            ("2026-12-02", "22:00", "02:00"),  # the night after
        ],
    )
    def test_back_to_back_visits_are_fine(self, technician, coordinator, day, start, end):
        book(technician, coordinator, "2026-12-01", "22:00", "02:00")
        book(technician, coordinator, day, start, end)
        assert CleaningSchedule.objects.count() == 2

    def test_cancelled_visits_do_not_block_the_slot(self, technician, coordinator):
        first = book(technician, coordinator, "2026-12-01", "18:00", "22:00")
        services.visit_transition(visit=first, to_status=VisitStatus.CANCELLED, by=coordinator)
        book(technician, coordinator, "2026-12-01", "19:00", "20:00")

    def test_reinstating_a_cancelled_visit_into_a_taken_slot_is_refused(
        self, technician, coordinator
    ):
        first = book(technician, coordinator, "2026-12-01", "18:00", "22:00")
        services.visit_transition(visit=first, to_status=VisitStatus.CANCELLED, by=coordinator)
        book(technician, coordinator, "2026-12-01", "19:00", "20:00")
        with pytest.raises(ValidationError):
            services.visit_transition(visit=first, to_status=VisitStatus.SCHEDULED, by=coordinator)
        first.refresh_from_db()
        assert first.status == VisitStatus.CANCELLED

    def test_another_technician_may_work_at_the_same_time(self, technician, coordinator):
        book(technician, coordinator, "2026-12-01", "18:00", "22:00")
        book(make_user(Role.TECHNICIAN), coordinator, "2026-12-01", "18:00", "22:00")

    def test_unassigned_visits_never_clash(self, coordinator):
        book(None, coordinator, "2026-12-01", "18:00", "22:00")
        book(None, coordinator, "2026-12-01", "18:00", "22:00")

    def test_a_series_clashing_on_any_date_is_refused_as_a_whole(
        self, technician, coordinator, site
    ):
        VisitFactory(assigned_to=technician, service_date=TODAY + dt.timedelta(weeks=3))
        with pytest.raises(ValidationError) as caught:
            services.series_create(
                site=site,
                assigned_to=technician,
                frequency=Frequency.WEEKLY,
                first_date=TODAY,
                start_time=t("19:00"),
                end_time=t("20:00"),
                by=coordinator,
            )
        assert "overlapping" in caught.value.message_dict["assigned_to"][0]
        assert CleaningSchedule.objects.count() == 1

    def test_moving_a_visit_onto_a_booked_slot_is_refused(self, technician, coordinator):
        book(technician, coordinator, "2026-12-01", "18:00", "22:00")
        other = book(technician, coordinator, "2026-12-02", "18:00", "22:00")
        with pytest.raises(ValidationError):
            services.visit_update(
                visit=other,
                by=coordinator,
                assigned_to=technician,
                service_date=d("2026-12-01"),
                start_time=t("20:00"),
                end_time=t("21:00"),
            )
        other.refresh_from_db()
        assert other.service_date == d("2026-12-02")

    def test_a_visit_may_be_moved_within_its_own_slot(self, technician, coordinator):
        visit = book(technician, coordinator, "2026-12-01", "18:00", "22:00")
        services.visit_update(
            visit=visit,
            by=coordinator,
            assigned_to=technician,
            service_date=d("2026-12-01"),
            start_time=t("19:00"),
            end_time=t("23:00"),
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_booking_the_same_technician_at_once_one_wins(technician, coordinator):
    """Both threads pass the barrier and book the same slot; the row lock makes the second wait
    for the first to commit, then see its visit and refuse."""
    assert connection.vendor == "postgresql"
    sites = [ClientSiteFactory(), ClientSiteFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(site):
        try:
            barrier.wait(timeout=10)
            book(technician, coordinator, "2026-12-01", "22:00", "02:00", site=site)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.message_dict["assigned_to"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(site,)) for site in sites]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("booked") == 1
    assert len(outcomes) == 2
    assert CleaningSchedule.objects.filter(assigned_to=technician).count() == 1
