"""Corrective-action follow-up: open until a coordinator or supervisor resolves it (POST only:
who, when, note, optional "after" photo through the same photo pipeline); open actions older
than CORRECTIVE_ACTION_OVERDUE_DAYS are overdue."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog
from tests.factories import InspectionFactory, make_user, uploaded_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_log(site):
    return InspectionFactory(site=site, corrective_actions="Descale the break-room sink.")


def resolve_url(log):
    return reverse("inspections:inspection_resolve", args=[log.pk])


@pytest.mark.parametrize("role", ["Coordinator", "Supervisor"])
def test_coordinator_or_supervisor_resolves_with_note_and_after_photo(
    login, open_log, media_files, role
):
    user = make_user(role)
    detail = login(user).get(open_log.get_absolute_url()).content.decode()
    assert f'action="{resolve_url(open_log)}"' in detail

    response = login(user).post(
        resolve_url(open_log),
        {"note": "Sink descaled, bins relined.", "photo": uploaded_image("after.jpg")},
    )

    open_log.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == open_log.get_absolute_url()
    assert open_log.resolved_at == timezone.now()
    assert open_log.resolved_by == user
    assert open_log.resolution_note == "Sink descaled, bins relined."
    assert not open_log.has_open_actions
    after = open_log.photos.get()
    assert after.kind == PhotoKind.AFTER
    assert len(media_files()) == 2
    page = login(user).get(open_log.get_absolute_url()).content.decode()
    assert reverse("inspections:photo", args=[after.pk, "thumb"]) in page
    assert f'action="{resolve_url(open_log)}"' not in page


def test_resolving_without_a_photo_is_fine(login, coordinator, open_log):
    login(coordinator).post(resolve_url(open_log), {"note": "Done."})

    open_log.refresh_from_db()
    assert open_log.resolved_by == coordinator and open_log.photos.count() == 0


def test_a_note_is_required(login, coordinator, open_log):
    response = login(coordinator).post(resolve_url(open_log), {"note": "  "})

    open_log.refresh_from_db()
    assert response.status_code == 200
    assert "note" in response.context["resolve_form"].errors
    assert open_log.resolved_at is None


def test_a_bad_after_photo_refuses_the_resolution_and_leaves_no_file(
    login, coordinator, open_log, media_files
):
    response = login(coordinator).post(
        resolve_url(open_log), {"note": "Done.", "photo": uploaded_image("x.jpg", b"not a photo")}
    )

    open_log.refresh_from_db()
    assert "is not a photo we can read" in response.content.decode()
    assert open_log.resolved_at is None
    assert not InspectionPhoto.objects.exists()
    assert media_files() == []


def test_resolving_twice_changes_nothing_the_second_time(login, coordinator, supervisor, open_log):
    login(coordinator).post(resolve_url(open_log), {"note": "First."})
    response = login(supervisor).post(resolve_url(open_log), {"note": "Second."}, follow=True)

    open_log.refresh_from_db()
    assert (open_log.resolved_by, open_log.resolution_note) == (coordinator, "First.")
    assert "no open corrective action" in response.content.decode()


def test_resolve_is_post_only(login, coordinator, open_log):
    assert login(coordinator).get(resolve_url(open_log)).status_code == 405


@pytest.mark.parametrize("role", ["Inspector", "Technician", "Client"])
def test_roles_without_the_follow_up_permission_get_403(login, site, open_log, role):
    from tests.factories import SiteMembershipFactory

    user = make_user(role)
    SiteMembershipFactory(site=site, user=user, can_see_inspections=True)

    response = login(user).post(resolve_url(open_log), {"note": "sneaky"})

    open_log.refresh_from_db()
    assert response.status_code == 403
    assert open_log.resolved_at is None
    assert "Mark resolved" not in login(user).get(open_log.get_absolute_url()).content.decode()


def test_anonymous_is_sent_to_login(client, open_log):
    response = client.post(resolve_url(open_log), {"note": "x"})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_open_actions_become_overdue_after_the_configured_days(settings, open_log):
    settings.CORRECTIVE_ACTION_OVERDUE_DAYS = 7
    SiteInspectionLog.objects.filter(pk=open_log.pk).update(
        inspection_date=timezone.now() - dt.timedelta(days=7, minutes=-1)
    )
    open_log.refresh_from_db()
    assert not open_log.is_overdue
    assert not SiteInspectionLog.objects.overdue().exists()

    SiteInspectionLog.objects.filter(pk=open_log.pk).update(
        inspection_date=timezone.now() - dt.timedelta(days=7, minutes=1)
    )
    open_log.refresh_from_db()
    assert open_log.is_overdue
    assert list(SiteInspectionLog.objects.overdue()) == [open_log]


def test_resolved_actions_are_never_overdue(coordinator, open_log):
    SiteInspectionLog.objects.filter(pk=open_log.pk).update(
        inspection_date=timezone.now() - dt.timedelta(days=60),
        resolved_at=timezone.now(),
        resolved_by=coordinator,
    )

    assert not SiteInspectionLog.objects.open_actions().exists()
    assert not SiteInspectionLog.objects.overdue().exists()
