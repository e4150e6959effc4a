"""Status moves of visits (timestamped, attributed, once only), notes, and missed visits."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from janitorial_crm import events
from janitorial_crm.models import User
from scheduling.models import (
    STATUS_TRANSITIONS,
    CleaningSchedule,
    VisitStatus,
    VisitStatusChange,
)
from scheduling.services.booking import ensure_free

_BATCH = 500


class StatusChangeRefused(ValidationError):
    """The visit is not in a state this change can start from (already done, or changed
    meanwhile by someone else). Nothing was written."""


def bulk_transition(
    queryset: QuerySet[CleaningSchedule],
    *,
    to_status: str,
    by: User | None,
    now: dt.datetime | None = None,
) -> int:
    """Move every row of `queryset` to `to_status`, with one history row each. Call it inside
    a transaction: the rows stay locked from the read to the update."""
    now = now or timezone.now()
    rows = list(queryset.select_for_update().values_list("pk", "status", "site_id"))
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        CleaningSchedule.objects.filter(pk__in=[pk for pk, _status, _site in chunk]).update(
            status=to_status, status_changed_at=now, status_changed_by=by, updated_at=now
        )
        VisitStatusChange.objects.bulk_create(
            VisitStatusChange(
                visit_id=pk, from_status=old, to_status=to_status, changed_by=by, changed_at=now
            )
            for pk, old, _site in chunk
        )
    for pk, old, site_id in rows:
        _publish_status_changed(visit_id=pk, site_id=site_id, old=old, new=to_status)
    return len(rows)


def _publish_status_changed(*, visit_id: int, site_id: int, old: str, new: str) -> None:
    events.publish(
        events.EventKind.VISIT_STATUS_CHANGED,
        object_id=visit_id,
        site_id=site_id,
        from_status=str(old),
        to_status=str(new),
    )


@transaction.atomic
def visit_transition(
    *, visit: CleaningSchedule, to_status: str, by: User, now: dt.datetime | None = None
) -> CleaningSchedule:
    """Move `visit` from its current status to `to_status`, timestamped and attributed.

    The UPDATE is conditional on the status the caller saw (`WHERE status = old`), so a double
    tap, a resubmitted form or two people at once make the change once; the loser gets
    StatusChangeRefused and nothing is written. Whether `by` may make this change is the
    caller's question (scheduling.permissions.can_transition).
    """
    now = now or timezone.now()
    old = visit.status
    if (old, to_status) not in STATUS_TRANSITIONS:
        raise StatusChangeRefused(
            _("This visit is %(status)s; it cannot become %(target)s.")
            % {"status": visit.get_status_display(), "target": VisitStatus(to_status).label},
            code="not_allowed",
        )
    if to_status == VisitStatus.SCHEDULED and old == VisitStatus.CANCELLED:
        # A cancelled visit held no slot; reinstating it must not double-book.
        ensure_free(
            technician=visit.assigned_to,
            slots=[(visit.service_date, visit.start_time, visit.end_time)],
            exclude_pks=[visit.pk],
        )
    changes: dict[str, str | dt.datetime | User | None] = {
        "status": to_status,
        "status_changed_at": now,
        "status_changed_by": by,
        "updated_at": now,
    }
    if to_status == VisitStatus.IN_PROGRESS and old == VisitStatus.SCHEDULED:
        changes["started_at"] = now
    elif to_status == VisitStatus.IN_PROGRESS:  # reopened after completion
        changes["completed_at"] = None
    elif to_status == VisitStatus.COMPLETED:
        changes["completed_at"] = now
    elif to_status == VisitStatus.SCHEDULED:
        changes["started_at"] = changes["completed_at"] = None
    updated = CleaningSchedule.objects.filter(pk=visit.pk, status=old).update(**changes)
    if not updated:
        raise StatusChangeRefused(
            _("This visit was changed meanwhile; nothing was done."), code="stale"
        )
    VisitStatusChange.objects.create(
        visit=visit, from_status=old, to_status=to_status, changed_by=by, changed_at=now
    )
    _publish_status_changed(visit_id=visit.pk, site_id=visit.site_id, old=old, new=to_status)
    for field, value in changes.items():
        setattr(visit, field, value)
    return visit


@transaction.atomic
def visit_add_note(
    *, visit: CleaningSchedule, by: User, text: str, now: dt.datetime | None = None
) -> CleaningSchedule:
    """Append a signed, timestamped line to the visit's notes (earlier notes are kept)."""
    now = timezone.localtime(now or timezone.now())
    locked = CleaningSchedule.objects.select_for_update().get(pk=visit.pk)
    line = f"[{now:%Y-%m-%d %H:%M} {by}] {text.strip()}"
    locked.notes = f"{locked.notes.rstrip()}\n{line}" if locked.notes.strip() else line
    locked.save(update_fields=["notes", "updated_at"])
    visit.notes = locked.notes
    events.publish(
        events.EventKind.VISIT_CHANGED, object_id=visit.pk, site_id=visit.site_id, fields=["notes"]
    )
    return visit


@transaction.atomic
def visits_mark_missed(*, now: dt.datetime | None = None) -> int:
    """Mark every visit that ended without being started as missed. Idempotent; returns how
    many. Attributed to nobody (the system) in the history."""
    now = now or timezone.now()
    overdue = CleaningSchedule.objects.filter(status=VisitStatus.SCHEDULED).past_due(now)
    return bulk_transition(overdue, to_status=VisitStatus.MISSED, by=None, now=now)
