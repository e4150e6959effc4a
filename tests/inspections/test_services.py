"""The write services: all or nothing, and no orphan file when a write fails half-way."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, connection
from django.utils import timezone

from inspections import services
from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog
from inspections.photos import process_photo
from tests.factories import InspectionFactory, InspectionPhotoFactory, uploaded_image

pytestmark = pytest.mark.django_db


def processed(count=1):
    return [process_photo(uploaded_image(f"p{n}.jpg", size=(40 + n, 30))) for n in range(count)]


def test_inspection_create_stores_row_and_photos(site, inspector, media_files):
    log = services.inspection_create(
        site=site, inspector=inspector, score=90, findings="  ok  ", photos=processed(2)
    )

    assert log.findings == "ok"
    assert [p.kind for p in log.photos.all()] == [PhotoKind.FINDING] * 2
    assert len(media_files()) == 4


def test_a_database_failure_after_files_were_written_leaves_no_row_and_no_file(
    site, inspector, media_files, monkeypatch
):
    real_save = InspectionPhoto.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:  # the second photo's files are already written at this point
            raise IntegrityError("simulated failure")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(InspectionPhoto, "save", failing_save)

    with pytest.raises(IntegrityError):
        services.inspection_create(site=site, inspector=inspector, score=80, photos=processed(3))

    assert len(calls) == 2
    assert not SiteInspectionLog.objects.exists()
    assert not InspectionPhoto.objects.exists()
    assert media_files() == []


def test_a_storage_failure_half_way_removes_what_was_written(
    site, inspector, media_files, monkeypatch
):
    real_save = FileSystemStorage.save
    writes = []

    def flaky_save(self, name, content, max_length=None):
        writes.append(name)
        if len(writes) == 3:
            raise OSError("disk full")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)

    with pytest.raises(OSError, match="disk full"):
        services.inspection_create(site=site, inspector=inspector, score=80, photos=processed(2))

    assert not SiteInspectionLog.objects.exists()
    assert media_files() == []


def test_model_rules_are_checked_before_anything_is_written(
    site, other_site, inspector, media_files
):
    from tests.factories import VisitFactory

    with pytest.raises(ValidationError):
        services.inspection_create(site=site, inspector=inspector, score=101, photos=processed())
    with pytest.raises(ValidationError):
        services.inspection_create(
            site=site,
            inspector=inspector,
            score=50,
            schedule=VisitFactory(site=other_site),
            photos=processed(),
        )

    assert not SiteInspectionLog.objects.exists()
    assert media_files() == []


def test_inspection_update_writes_only_the_editable_fields(site, inspector, coordinator):
    log = InspectionFactory(site=site, score=50)
    log.score = 60
    log.inspector = coordinator
    log.resolution_note = "sneaky"

    services.inspection_update(log=log)

    log.refresh_from_db()
    assert log.score == 60
    assert log.inspector != coordinator and log.resolution_note == ""


def test_resolving_a_log_without_corrective_actions_is_refused(site, coordinator):
    log = InspectionFactory(site=site, corrective_actions="")

    with pytest.raises(ValidationError):
        services.corrective_action_resolve(log=log, by=coordinator, note="nothing to do")


def test_inspection_delete_removes_the_files_once_committed(
    site, media_files, django_capture_on_commit_callbacks
):
    photo = InspectionPhotoFactory(log=InspectionFactory(site=site))
    assert len(media_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_delete(log=photo.log)

    assert not SiteInspectionLog.objects.exists()
    assert media_files() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_resolving_at_once_resolve_exactly_once(site, coordinator, supervisor):
    assert connection.vendor == "postgresql"
    log = InspectionFactory(site=site, corrective_actions="Fix it.")
    barrier = threading.Barrier(2)
    outcomes = []

    def resolve(user):
        try:
            barrier.wait(timeout=10)
            services.corrective_action_resolve(log=log, by=user, note=f"by {user.username}")
            outcomes.append("resolved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=resolve, args=(u,)) for u in (coordinator, supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    log.refresh_from_db()
    assert sorted(outcomes) == ["refused", "resolved"]
    assert log.resolved_at is not None and log.resolved_at <= timezone.now()
    assert log.resolution_note == f"by {log.resolved_by.username}"
