import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from scheduling import services
from scheduling.models import CleaningSchedule, VisitStatus, VisitStatusChange
from tests.factories import VisitFactory
from tests.scheduling.helpers import NOW, TODAY, at, t

pytestmark = pytest.mark.django_db

S = VisitStatus


@pytest.fixture
def visit(technician, site):
    return VisitFactory(site=site, assigned_to=technician, service_date=TODAY)


def post(client, name, visit, **data):
    return client.post(reverse(f"scheduling:{name}", args=[visit.pk]), data)


class TestTechnicianFlow:
    def test_start_then_complete_is_timestamped_and_attributed(
        self, frozen, login, technician, visit
    ):
        client = login(technician)
        response = post(client, "visit_start", visit)
        assert response.status_code == 302
        assert response["Location"] == reverse("scheduling:my_day")
        visit.refresh_from_db()
        assert visit.status == S.IN_PROGRESS
        assert visit.started_at == NOW
        assert (visit.status_changed_at, visit.status_changed_by) == (NOW, technician)

        frozen.shift(dt.timedelta(hours=3))
        post(client, "visit_complete", visit)
        visit.refresh_from_db()
        assert visit.status == S.COMPLETED
        assert visit.completed_at == NOW + dt.timedelta(hours=3)
        assert visit.started_at == NOW
        history = list(visit.status_changes.values_list("from_status", "to_status", "changed_by"))
        assert history == [
            (S.SCHEDULED, S.IN_PROGRESS, technician.pk),
            (S.IN_PROGRESS, S.COMPLETED, technician.pk),
        ]

    def test_a_double_tap_on_start_makes_one_transition(self, frozen, login, technician, visit):
        client = login(technician)
        post(client, "visit_start", visit)
        frozen.shift(dt.timedelta(seconds=1))
        response = post(client, "visit_start", visit)
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.started_at == NOW
        assert visit.status_changes.count() == 1

    def test_a_resubmitted_complete_makes_one_transition(self, frozen, login, technician, visit):
        client = login(technician)
        post(client, "visit_start", visit)
        post(client, "visit_complete", visit)
        frozen.shift(dt.timedelta(minutes=5))
        response = post(client, "visit_complete", visit, next=visit.get_absolute_url())
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.completed_at == NOW
        assert visit.status_changes.count() == 2

    def test_a_stale_status_change_writes_nothing(self, technician, visit):
        stale = CleaningSchedule.objects.get(pk=visit.pk)
        services.visit_transition(visit=visit, to_status=S.IN_PROGRESS, by=technician)
        with pytest.raises(services.StatusChangeRefused):
            services.visit_transition(visit=stale, to_status=S.IN_PROGRESS, by=technician)
        assert VisitStatusChange.objects.count() == 1

    def test_a_technician_cannot_complete_a_visit_not_started(self, login, technician, visit):
        post(login(technician), "visit_complete", visit)
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED
        assert not visit.status_changes.exists()

    def test_completed_is_final_for_a_technician(self, login, technician, visit):
        client = login(technician)
        post(client, "visit_start", visit)
        post(client, "visit_complete", visit)
        response = post(client, "visit_status", visit, status=S.IN_PROGRESS)
        assert response.status_code == 403
        assert post(client, "visit_cancel", visit).status_code == 403
        visit.refresh_from_db()
        assert visit.status == S.COMPLETED

    @pytest.mark.parametrize("target", [S.CANCELLED, S.MISSED])
    def test_a_technician_cannot_cancel_or_mark_missed(self, login, technician, visit, target):
        response = post(login(technician), "visit_status", visit, status=target)
        assert response.status_code == 403
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED

    def test_htmx_start_answers_with_the_card(self, login, technician, visit):
        client = login(technician)
        response = client.post(
            reverse("scheduling:visit_start", args=[visit.pk]), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="visit-{visit.pk}"' in html
        assert "Visit started." in html
        assert reverse("scheduling:visit_complete", args=[visit.pk]) in html
        assert "<html" not in html

    def test_status_endpoints_are_post_only(self, login, coordinator, visit):
        client = login(coordinator)
        names = ("visit_start", "visit_complete", "visit_note", "visit_status", "visit_cancel")
        for name in names:
            assert client.get(reverse(f"scheduling:{name}", args=[visit.pk])).status_code == 405
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED


class TestCoordinatorCorrections:
    def test_coordinator_can_mark_missed_and_reinstate(self, frozen, login, coordinator, visit):
        client = login(coordinator)
        post(client, "visit_status", visit, status=S.MISSED)
        visit.refresh_from_db()
        assert (visit.status, visit.status_changed_by) == (S.MISSED, coordinator)
        post(client, "visit_status", visit, status=S.SCHEDULED)
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED

    def test_coordinator_can_reopen_a_completed_visit(self, login, coordinator, technician, visit):
        services.visit_transition(visit=visit, to_status=S.IN_PROGRESS, by=technician)
        services.visit_transition(visit=visit, to_status=S.COMPLETED, by=technician)
        post(login(coordinator), "visit_status", visit, status=S.IN_PROGRESS)
        visit.refresh_from_db()
        assert visit.status == S.IN_PROGRESS
        assert visit.completed_at is None
        assert visit.started_at is not None
        assert visit.status_changes.last().changed_by == coordinator

    def test_coordinator_cancels_this_visit(self, login, coordinator, visit):
        response = post(login(coordinator), "visit_cancel", visit, scope="this")
        assert response.status_code == 302
        visit.refresh_from_db()
        assert (visit.status, visit.status_changed_by) == (S.CANCELLED, coordinator)

    def test_cancel_without_a_scope_changes_nothing(self, login, coordinator, visit):
        response = post(login(coordinator), "visit_cancel", visit)
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED

    def test_a_move_that_does_not_exist_is_explained_not_made(self, login, coordinator, visit):
        client = login(coordinator)
        response = post(client, "visit_status", visit, status=S.COMPLETED)
        assert response.status_code == 302
        follow = client.get(response["Location"])
        assert "cannot become" in follow.content.decode()
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED

    def test_an_unknown_status_is_refused_with_a_message(self, login, coordinator, visit):
        response = post(login(coordinator), "visit_status", visit, status="teleported")
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == S.SCHEDULED

    def test_the_history_is_on_the_visit_page(self, login, coordinator, technician, visit):
        services.visit_transition(visit=visit, to_status=S.IN_PROGRESS, by=technician)
        html = login(coordinator).get(visit.get_absolute_url()).content.decode()
        assert "Scheduled → In progress" in html
        assert str(technician) in html


class TestNotes:
    def test_a_note_is_appended_signed_and_timestamped(self, frozen, login, technician, visit):
        visit.notes = "Bring the floor machine."
        visit.save()
        post(login(technician), "visit_note", visit, note="Lobby door lock broken")
        visit.refresh_from_db()
        assert visit.notes == (
            f"Bring the floor machine.\n[2026-11-24 12:00 {technician}] Lobby door lock broken"
        )

    def test_an_empty_note_changes_nothing(self, login, technician, visit):
        response = post(login(technician), "visit_note", visit, note="  ")
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.notes == ""

    def test_an_empty_note_with_htmx_shows_the_error_in_the_card(self, login, technician, visit):
        response = login(technician).post(
            reverse("scheduling:visit_note", args=[visit.pk]), {"note": ""}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()


class TestMassAssignment:
    """A technician changes only status and notes of their own visit, whatever the POST says."""

    CRAFTED = {
        "site": "999",
        "assigned_to": "1",
        "service_date": "2030-01-01",
        "start_time": "01:00",
        "end_time": "02:00",
        "status": S.COMPLETED,
        "notes": "overwritten",
        "started_at": "2020-01-01T00:00:00Z",
    }

    def snapshot(self, visit):
        visit.refresh_from_db()
        return (
            visit.site_id,
            visit.assigned_to_id,
            visit.service_date,
            visit.start_time,
            visit.end_time,
        )

    def test_crafted_fields_on_start_change_only_the_status(
        self, frozen, login, technician, other_site, visit
    ):
        before = self.snapshot(visit)
        crafted = {**self.CRAFTED, "site": str(other_site.pk)}
        post(login(technician), "visit_start", visit, **crafted)
        assert self.snapshot(visit) == before
        assert visit.status == S.IN_PROGRESS
        assert visit.started_at == NOW
        assert visit.notes == ""

    def test_crafted_fields_on_a_note_change_only_the_notes(
        self, login, technician, other_site, visit
    ):
        before = self.snapshot(visit)
        post(login(technician), "visit_note", visit, note="All done", **self.CRAFTED)
        assert self.snapshot(visit) == before
        assert visit.status == S.SCHEDULED
        assert visit.notes.endswith("All done")

    def test_the_edit_form_is_forbidden_to_a_technician(self, login, technician, visit):
        client = login(technician)
        before = self.snapshot(visit)
        response = client.post(reverse("scheduling:visit_update", args=[visit.pk]), self.CRAFTED)
        assert response.status_code == 403
        response = client.post(reverse("scheduling:visit_move", args=[visit.pk]), self.CRAFTED)
        assert response.status_code == 403
        assert self.snapshot(visit) == before
        assert visit.notes == ""


class TestMarkMissed:
    def test_past_visits_never_started_are_marked_missed_once(self, frozen, technician, site):
        ended = VisitFactory(assigned_to=technician, service_date=TODAY - dt.timedelta(days=2))
        started = VisitFactory(
            assigned_to=technician,
            service_date=TODAY - dt.timedelta(days=1),
            status=S.IN_PROGRESS,
        )
        # Overnight from yesterday 22:00 to today 02:00: over by noon.
        overnight_done = VisitFactory(
            service_date=TODAY - dt.timedelta(days=1), start_time=t("22:00"), end_time=t("02:00")
        )
        this_morning = VisitFactory(service_date=TODAY, start_time=t("06:00"), end_time=t("11:00"))
        running = VisitFactory(service_date=TODAY, start_time=t("11:00"), end_time=t("13:00"))
        tonight = VisitFactory(service_date=TODAY, start_time=t("22:00"), end_time=t("02:00"))

        out = StringIO()
        call_command("mark_missed", stdout=out)
        assert "3 visits marked missed" in out.getvalue()
        out = StringIO()
        call_command("mark_missed", stdout=out)
        assert "0 visits marked missed" in out.getvalue()

        missed = set(CleaningSchedule.objects.filter(status=S.MISSED).values_list("pk", flat=True))
        assert missed == {ended.pk, overnight_done.pk, this_morning.pk}
        for visit in (started, running, tonight):
            visit.refresh_from_db()
            assert visit.status != S.MISSED
        change = VisitStatusChange.objects.get(visit=ended)
        assert (change.from_status, change.to_status, change.changed_by) == (
            S.SCHEDULED,
            S.MISSED,
            None,
        )
        ended.refresh_from_db()
        assert ended.status_changed_at == NOW

    def test_an_overnight_visit_still_running_after_midnight_is_not_missed(self, frozen):
        frozen.move_to(at(TODAY, 1, 30))
        VisitFactory(
            service_date=TODAY - dt.timedelta(days=1), start_time=t("22:00"), end_time=t("02:00")
        )
        assert services.visits_mark_missed() == 0
        frozen.move_to(at(TODAY, 2, 0))
        assert services.visits_mark_missed() == 1
