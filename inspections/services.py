"""Writes about inspections: filing one with its photos, editing it, resolving its corrective
actions, deleting it with its files.

Photos arrive already validated and re-encoded (`inspections.photos.ProcessedPhoto`), so the
only thing left that can fail is the write itself. The row and its photos are saved in one
transaction; files written to storage before a failure are deleted again, so a failed filing
leaves neither a row nor an orphan file.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog
from inspections.photos import ProcessedPhoto
from janitorial_crm import events
from janitorial_crm.models import User
from scheduling.models import CleaningSchedule
from sites.models import ClientSite

logger = logging.getLogger(__name__)

# What an edit may change. Owner, site scope and resolution fields are never in this list: the
# server sets them, so a crafted POST cannot.
EDITABLE_FIELDS = (
    "site",
    "schedule",
    "inspection_date",
    "score",
    "findings",
    "corrective_actions",
    "internal_notes",
)


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Collects the storage names written inside the block; deletes them if the block fails.

    Use it OUTSIDE `transaction.atomic()`, so that the rollback has happened by the time the
    files go. When the caller itself runs inside a larger transaction that rolls back later,
    that caller owns the cleanup (Django has no on-rollback hook); `prune_orphan_photos` finds
    anything left over.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            _delete_quietly(name)
        raise


def _storage() -> Storage:
    # The photo field's own storage (the default storage unless a deployment swaps it).
    return InspectionPhoto._meta.get_field("image").storage


def _delete_quietly(name: str) -> None:
    try:
        _storage().delete(name)
    except OSError:  # the file is already gone, or storage is unreachable: log, don't mask
        logger.warning("Could not delete photo file %s", name, exc_info=True)


def _store_photos(
    *, log: SiteInspectionLog, photos: Iterable[ProcessedPhoto], kind: str, written: list[str]
) -> list[InspectionPhoto]:
    """Write each processed photo and its thumbnail, then its row; names go into `written`."""
    stored = []
    for processed in photos:
        photo = InspectionPhoto(log=log, kind=kind)
        # Save the files one by one (save=False) so every written name is known before the row
        # insert: a failure anywhere after the first write can still delete them all. (A file's
        # name is None only before it is saved.)
        photo.image.save("photo.jpg", processed.image_file(), save=False)
        written.append(cast(str, photo.image.name))
        photo.thumbnail.save("thumb.jpg", processed.thumbnail_file(), save=False)
        written.append(cast(str, photo.thumbnail.name))
        photo.width, photo.height = processed.width, processed.height
        photo.save()
        stored.append(photo)
    return stored


def inspection_create(
    *,
    site: ClientSite,
    inspector: User,
    score: int,
    schedule: CleaningSchedule | None = None,
    inspection_date: dt.datetime | None = None,
    findings: str = "",
    corrective_actions: str = "",
    internal_notes: str = "",
    photos: Iterable[ProcessedPhoto] = (),
) -> SiteInspectionLog:
    """File an inspection of `site` by `inspector`, with its finding photos, all or nothing.

    `photos` are `ProcessedPhoto`s (see `inspections.photos.process_photo`). Raises
    ValidationError if the row breaks a model rule (score bounds, visit at another site).
    """
    log = SiteInspectionLog(
        site=site,
        inspector=inspector,
        schedule=schedule,
        inspection_date=inspection_date or timezone.now(),
        score=score,
        findings=findings.strip(),
        corrective_actions=corrective_actions.strip(),
        internal_notes=internal_notes.strip(),
    )
    log.full_clean()
    with _files_removed_on_failure() as written, transaction.atomic():
        log.save()
        _store_photos(log=log, photos=photos, kind=PhotoKind.FINDING, written=written)
        _publish_filed(log)
    return log


def _publish_filed(log: SiteInspectionLog) -> None:
    events.publish(
        events.EventKind.INSPECTION_FILED,
        object_id=log.pk,
        site_id=log.site_id,
        score=log.score,
        has_corrective_actions=bool(log.corrective_actions),
    )


def inspection_update(
    *, log: SiteInspectionLog, photos: Iterable[ProcessedPhoto] = ()
) -> SiteInspectionLog:
    """Save the editable fields of `log` (already changed by the form) and add finding photos.

    Only EDITABLE_FIELDS are written, whatever else was set on the instance.
    """
    for field in ("findings", "corrective_actions", "internal_notes"):
        setattr(log, field, getattr(log, field).strip())
    log.full_clean()
    with _files_removed_on_failure() as written, transaction.atomic():
        log.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
        _store_photos(log=log, photos=photos, kind=PhotoKind.FINDING, written=written)
        publish_inspection_changed(log)
    return log


def publish_inspection_changed(log: SiteInspectionLog) -> None:
    events.publish(events.EventKind.INSPECTION_CHANGED, object_id=log.pk, site_id=log.site_id)


@transaction.atomic
def inspection_save(*, log: SiteInspectionLog) -> SiteInspectionLog:
    """Save an inspection added or edited field by field in Django admin (its form validated
    it) and announce it."""
    created = log.pk is None
    log.save()
    if created:
        _publish_filed(log)
    else:
        publish_inspection_changed(log)
    return log


def corrective_action_resolve(
    *,
    log: SiteInspectionLog,
    by: User,
    note: str | None,
    photo: ProcessedPhoto | None = None,
    now: dt.datetime | None = None,
) -> SiteInspectionLog:
    """Mark the corrective actions of `log` resolved by `by`, with a note and an optional
    "after" photo. Refuses (ValidationError) a log without open actions, including one that
    someone else resolved a moment ago.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    with _files_removed_on_failure() as written, transaction.atomic():
        # Lock the row: two coordinators resolving at once must not both succeed.
        locked = SiteInspectionLog.objects.select_for_update().get(pk=log.pk)
        if not locked.has_open_actions:
            raise ValidationError(_("This inspection has no open corrective action."))
        locked.resolved_at = now or timezone.now()
        locked.resolved_by = by
        locked.resolution_note = note
        locked.save(update_fields=["resolved_at", "resolved_by", "resolution_note", "updated_at"])
        if photo is not None:
            _store_photos(log=locked, photos=[photo], kind=PhotoKind.AFTER, written=written)
        events.publish(
            events.EventKind.ACTION_RESOLVED,
            object_id=locked.pk,
            site_id=locked.site_id,
            resolved_at=locked.resolved_at,
        )
    log.refresh_from_db()
    return log


def inspection_delete(*, log: SiteInspectionLog) -> None:
    """Delete `log` and its photos; the files go once the deletion is committed."""
    names = [
        name
        for photo in log.photos.all()
        for name in (photo.image.name, photo.thumbnail.name)
        if name
    ]

    def delete_files() -> None:
        for name in names:
            _delete_quietly(name)

    with transaction.atomic():
        events.publish(events.EventKind.INSPECTION_DELETED, object_id=log.pk, site_id=log.site_id)
        log.delete()
        transaction.on_commit(delete_files)
