"""Planning: one-off visits, recurring series (materialised up to the horizon), and changing
or cancelling "this visit" or "this and following"."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from janitorial_crm import events
from janitorial_crm.models import User
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from scheduling.recurrence import occurrences
from scheduling.services.booking import (
    Clash,
    check_times,
    clash_error,
    describe_visit,
    ensure_free,
    find_clashes,
    horizon_date,
    lock_technician,
)
from scheduling.services.status import bulk_transition
from sites.models import ClientSite

# How far ahead a new series is checked for at least one visit ("this rule produces nothing").
_RULE_LOOKAHEAD = dt.timedelta(days=400)
_BATCH = 500
# What one materialising call may cover, whatever dates and horizon it is given: a new series
# nothing before last week (older dates are history, not work to plan), and at most this many
# days (so at most this many visits: a rule has at most one date a day); the roll-forward
# continues from there on its next run.
MATERIALISE_PAST_DAYS = 7
MAX_DAYS_PER_CALL = 1000
# Planning a series checks it for double-booking on every date from its first planned date to
# its end date, or for this many days when it ends later or never: against the technician's
# visits and the dates their other series will fill. A clash found later (past this, or with a
# visit planned since) is the nightly roll-forward's: it leaves that visit unassigned, with a
# note saying why, on the board's "Unassigned" row.
CLASH_CHECK_DAYS = 366


def visit_check_not_in_past(*, day: dt.date, field: str = "service_date") -> None:
    """A new visit or series starts today or later, else ValidationError on `field`.

    Past dates would only create visits that the nightly mark_missed closes at once (a daily
    series from 1990 planned 13,532 of them); an unplanned visit that did happen is recorded on
    a planned visit, not backdated. Changing an existing visit is not "new": not checked.
    """
    if day < timezone.localdate():
        raise ValidationError({field: _("A new visit cannot be in the past.")}, code="in_the_past")


@transaction.atomic
def visit_create(
    *,
    site: ClientSite,
    assigned_to: User | None,
    service_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    notes: str = "",
    by: User,
) -> CleaningSchedule:
    """Plan a one-off visit. Raises ValidationError if it is in the past or the technician is
    already booked."""
    visit_check_not_in_past(day=service_date)
    check_times(start_time, end_time)
    ensure_free(technician=assigned_to, slots=[(service_date, start_time, end_time)])
    visit = CleaningSchedule.objects.create(
        site=site,
        assigned_to=assigned_to,
        service_date=service_date,
        start_time=start_time,
        end_time=end_time,
        frequency=Frequency.ONCE,
        notes=notes,
        created_by=by,
    )
    publish_visits_created([visit])
    return visit


def publish_visits_created(visits: Iterable[CleaningSchedule]) -> None:
    for visit in visits:
        events.publish(
            events.EventKind.VISIT_CREATED,
            object_id=visit.pk,
            site_id=visit.site_id,
            service_date=visit.service_date,
        )


def publish_visit_changed(
    *, visit: CleaningSchedule, fields: Iterable[str], former_assignee_id: int | None = None
) -> None:
    """Announce a change of `fields`; a technician the visit was taken away from is told that
    it is gone (they may not see it any more)."""
    changed = sorted(set(fields) - {"updated_at"})
    former = [former_assignee_id] if former_assignee_id != visit.assigned_to_id else []
    events.publish(
        events.EventKind.VISIT_CHANGED,
        object_id=visit.pk,
        site_id=visit.site_id,
        former_viewers=former,
        fields=changed,
    )


def publish_visits_deleted(rows: Iterable[tuple[int, int, int | None]]) -> None:
    """Announce deleted visits given as (pk, site_id, assigned_to_id); call it before the
    delete, in its transaction."""
    for pk, site_id, assignee_id in rows:
        events.publish(
            events.EventKind.VISIT_DELETED,
            object_id=pk,
            site_id=site_id,
            former_viewers=[assignee_id],
        )


@transaction.atomic
def visit_save(
    *, visit: CleaningSchedule, by: User, fields: Iterable[str] | None = None
) -> CleaningSchedule:
    """Save a visit edited field by field (Django admin, whose form validated it) and
    announce it: `fields` are the changed ones, None for a new visit."""
    if visit.pk is None:
        visit.created_by = by
        visit.save()
        publish_visits_created([visit])
        return visit
    former = (
        CleaningSchedule.objects.filter(pk=visit.pk)
        .values_list("assigned_to_id", flat=True)
        .first()
    )
    visit.save()
    publish_visit_changed(visit=visit, fields=fields or (), former_assignee_id=former)
    return visit


@transaction.atomic
def visits_delete(queryset: QuerySet[CleaningSchedule]) -> int:
    """Delete visits (Django admin) and announce each."""
    rows = list(queryset.values_list("pk", "site_id", "assigned_to_id"))
    publish_visits_deleted(rows)
    CleaningSchedule.objects.filter(pk__in=[pk for pk, _site, _tech in rows]).delete()
    return len(rows)


def _rule_dates(series: VisitSeries, window_start: dt.date, window_end: dt.date) -> list[dt.date]:
    return occurrences(
        frequency=series.frequency,
        first_date=series.first_date,
        until=series.until,
        skip_dates=series.skipped,
        window_start=window_start,
        window_end=window_end,
    )


def _window(series: VisitSeries, horizon: dt.date) -> tuple[dt.date, dt.date]:
    """The dates (start, end) to materialise now, bounded as MATERIALISE_PAST_DAYS and
    MAX_DAYS_PER_CALL say; empty when start > end.

    From the day after those already materialised (so the roll-forward leaves no gap, even
    after a pause), or for a new series from its first date but not before last week; to the
    horizon or the series' end date.
    """
    if series.materialised_until:
        start = max(series.first_date, series.materialised_until + dt.timedelta(days=1))
    else:
        last_week = timezone.localdate() - dt.timedelta(days=MATERIALISE_PAST_DAYS)
        start = max(series.first_date, last_week)
    end = min(horizon, series.until) if series.until else horizon
    end = min(end, start + dt.timedelta(days=MAX_DAYS_PER_CALL - 1))
    return start, end


def _materialise(
    series: VisitSeries, *, horizon: dt.date, strict: bool
) -> tuple[list[CleaningSchedule], list[Clash]]:
    """Create the series' missing visits in its window up to `horizon`; return
    (created, clashes).

    `strict` (planning by a person): any clash rejects the whole series. Otherwise (the nightly
    roll-forward) a clashing visit is created unassigned, so the board shows it for a
    coordinator to staff, and is reported.
    """
    start, end = _window(series, horizon)
    dates = _rule_dates(series, start, end) if start <= end else []
    # A visit moved onto a later date of its own series already holds that date.
    taken = set(
        series.visits.filter(service_date__range=(start, end)).values_list(
            "service_date", flat=True
        )
    )
    dates = [day for day in dates if day not in taken]
    technician = series.assigned_to
    lock_technician(technician)
    clashes = find_clashes(
        technician=technician,
        slots=[(day, series.start_time, series.end_time) for day in dates],
    )
    if clashes and strict:
        raise clash_error(technician, clashes)
    clashing = {clash.service_date: clash.visit for clash in clashes}
    visits = [
        CleaningSchedule(
            site=series.site,
            assigned_to=None if day in clashing else technician,
            series=series,
            service_date=day,
            start_time=series.start_time,
            end_time=series.end_time,
            frequency=series.frequency,
            notes=_unassigned_note(series, clashing[day]) if day in clashing else series.notes,
            created_by=series.created_by,
        )
        for day in dates
    ]
    created = CleaningSchedule.objects.bulk_create(visits, batch_size=_BATCH)
    publish_visits_created(created)
    if end >= start:
        series.materialised_until = end
        series.save(update_fields=["materialised_until", "updated_at"])
    return created, clashes


def _unassigned_note(series: VisitSeries, clash: CleaningSchedule) -> str:
    """The notes of a visit the roll-forward left unassigned: the series' notes and why."""
    reason = _("Left unassigned: %(technician)s already has %(visit)s.") % {
        "technician": series.assigned_to,
        "visit": describe_visit(clash),
    }
    return f"{series.notes.rstrip()}\n{reason}" if series.notes.strip() else reason


def series_checked_until(series: VisitSeries) -> dt.date:
    """The last date planning `series` checks for double-booking (see CLASH_CHECK_DAYS)."""
    last_week = timezone.localdate() - dt.timedelta(days=MATERIALISE_PAST_DAYS)
    last = max(series.first_date, last_week) + dt.timedelta(days=CLASH_CHECK_DAYS - 1)
    return min(last, series.until) if series.until else last


@transaction.atomic
def series_create(
    *,
    site: ClientSite,
    assigned_to: User | None,
    frequency: str,
    first_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    until: dt.date | None = None,
    skip_dates: Iterable[dt.date] = (),
    notes: str = "",
    by: User,
    horizon: dt.date | None = None,
    replacing: VisitSeries | None = None,
) -> VisitSeries:
    """Plan a recurring series and materialise its visits up to the horizon.

    Raises ValidationError if a new series starts in the past (one `replacing` an old series
    from one of its visits on may start on that visit's date), naming the first clashing visit
    if the technician is already booked on any of them, or if the rule produces no visit at all.
    """
    if replacing is None:
        visit_check_not_in_past(day=first_date, field="first_date")
    series = VisitSeries(
        site=site,
        assigned_to=assigned_to,
        frequency=frequency,
        first_date=first_date,
        until=until,
        start_time=start_time,
        end_time=end_time,
        skip_dates=sorted({day.isoformat() for day in skip_dates}),
        notes=notes,
        created_by=by,
    )
    horizon = horizon or horizon_date()
    series_check(series=series, horizon=horizon)
    series.save()
    _materialise(series, horizon=horizon, strict=True)
    return series


def series_check(*, series: VisitSeries, horizon: dt.date | None = None) -> None:
    """Raise ValidationError if the unsaved `series` would plan no visit at all, or would
    double-book its technician up to `series_checked_until` (past the horizon too: against
    visits already planned there and the dates the technician's other series will fill).
    Locks the technician's row: call it inside the transaction that saves the series (Django
    admin's add form runs in one)."""
    check_times(series.start_time, series.end_time)
    if series.until and series.until < series.first_date:
        raise ValidationError({"until": _("The end date is before the first date.")})
    first = series.first_date
    if not _rule_dates(series, first, first + _RULE_LOOKAHEAD):
        raise ValidationError(
            _("This rule produces no visit: check the first date, end date and skip dates."),
            code="empty_rule",
        )
    start, _end = _window(series, horizon or horizon_date())
    end = series_checked_until(series)
    dates = _rule_dates(series, start, end) if start <= end else []
    slots = [(day, series.start_time, series.end_time) for day in dates]
    ensure_free(technician=series.assigned_to, slots=slots)


@transaction.atomic
def series_extend(
    *, series: VisitSeries, horizon: dt.date | None = None
) -> tuple[list[CleaningSchedule], list[Clash]]:
    """Roll one series forward to the horizon. Idempotent; returns (created, clashes)."""
    series = (
        VisitSeries.objects.select_for_update(of=("self",))
        .select_related("site", "assigned_to")
        .get(pk=series.pk)
    )
    if not series.active:
        return [], []
    return _materialise(series, horizon=horizon or horizon_date(), strict=False)


def series_extend_all(
    *, horizon: dt.date | None = None
) -> tuple[list[CleaningSchedule], list[Clash]]:
    """Roll every active series forward (`manage.py extend_schedules`); one transaction each."""
    horizon = horizon or horizon_date()
    created: list[CleaningSchedule] = []
    clashes: list[Clash] = []
    for series in VisitSeries.objects.due_for_extension(horizon).order_by("pk"):
        new, clashing = series_extend(series=series, horizon=horizon)
        created += new
        clashes += clashing
    return created, clashes


def visit_check_series_date(*, visit: CleaningSchedule, service_date: dt.date) -> None:
    """Raise ValidationError (on `service_date`) if `visit` belongs to a series that already
    has another visit on `service_date`: a series visits a site at most once a day (the
    database refuses it too; this says so next to the field). The portal's edit and Django
    admin's change form both ask it."""
    if visit.series_id is None:
        return
    same_series_day = CleaningSchedule.objects.filter(
        series_id=visit.series_id, service_date=service_date
    ).exclude(pk=visit.pk)
    if same_series_day.exists():
        raise ValidationError(
            {"service_date": _("This series already has a visit on that date.")},
            code="series_date_taken",
        )


@transaction.atomic
def visit_update(
    *,
    visit: CleaningSchedule,
    by: User,
    assigned_to: User | None,
    service_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    notes: str | None = None,
) -> CleaningSchedule:
    """Change one visit ("this visit"): technician, date, times and optionally the notes."""
    check_times(start_time, end_time)
    visit_check_series_date(visit=visit, service_date=service_date)
    if visit.status != VisitStatus.CANCELLED:
        ensure_free(
            technician=assigned_to,
            slots=[(service_date, start_time, end_time)],
            exclude_pks=[visit.pk],
        )
    former_assignee_id = visit.assigned_to_id
    visit.assigned_to = assigned_to
    visit.service_date = service_date
    visit.start_time = start_time
    visit.end_time = end_time
    fields = ["assigned_to", "service_date", "start_time", "end_time", "updated_at"]
    if notes is not None:
        visit.notes = notes
        fields.append("notes")
    visit.save(update_fields=fields)
    publish_visit_changed(visit=visit, fields=fields, former_assignee_id=former_assignee_id)
    return visit


def _end_series_before(series: VisitSeries, cutoff: dt.date) -> None:
    """The series stops the day before `cutoff` (or entirely, if it starts on or after it)."""
    if cutoff <= series.first_date:
        series.active = False
    else:
        last = cutoff - dt.timedelta(days=1)
        series.until = min(series.until, last) if series.until else last
        if series.materialised_until and series.materialised_until > last:
            series.materialised_until = last
    series.save(update_fields=["active", "until", "materialised_until", "updated_at"])


@transaction.atomic
def series_update_from(
    *,
    visit: CleaningSchedule,
    by: User,
    assigned_to: User | None,
    first_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    frequency: str,
    until: dt.date | None = None,
    skip_dates: Iterable[dt.date] = (),
    notes: str = "",
    horizon: dt.date | None = None,
) -> CleaningSchedule | None:
    """Change "this and following" visits of a series, from `visit` on.

    The old series ends the day before `visit`; its still-scheduled visits from there on are
    replaced by a new series with the new rule (visits already started, done, missed or
    cancelled stay as history). Returns the new series' first visit (None if beyond horizon).
    """
    if visit.series_id is None:
        raise ValidationError(_("This visit is not part of a series."), code="no_series")
    if visit.status != VisitStatus.SCHEDULED:
        raise ValidationError(
            _("Only a visit that has not started can be changed with its following visits."),
            code="not_scheduled",
        )
    series = VisitSeries.objects.select_for_update().get(pk=visit.series_id)
    cutoff = visit.service_date
    _end_series_before(series, cutoff)
    replaced = series.visits.filter(service_date__gte=cutoff, status=VisitStatus.SCHEDULED)
    publish_visits_deleted(replaced.values_list("pk", "site_id", "assigned_to_id"))
    replaced.delete()
    new_series = series_create(
        site=series.site,
        assigned_to=assigned_to,
        frequency=frequency,
        first_date=first_date,
        start_time=start_time,
        end_time=end_time,
        until=until,
        skip_dates=skip_dates,
        notes=notes,
        by=by,
        horizon=horizon,
        replacing=series,
    )
    return new_series.visits.order_by("service_date").first()


@transaction.atomic
def series_cancel_from(*, visit: CleaningSchedule, by: User, now: dt.datetime | None = None) -> int:
    """Cancel "this and following" visits of a series and end the series. Returns how many."""
    if visit.series_id is None:
        raise ValidationError(_("This visit is not part of a series."), code="no_series")
    series = VisitSeries.objects.select_for_update().get(pk=visit.series_id)
    _end_series_before(series, visit.service_date)
    # A visit already under way is left to its technician (or to an explicit "cancel this").
    pending = series.visits.filter(
        service_date__gte=visit.service_date, status=VisitStatus.SCHEDULED
    )
    return bulk_transition(pending, to_status=VisitStatus.CANCELLED, by=by, now=now)
