"""Double-booking: when a technician is busy, and the lock that makes checking it safe.

Checks run inside the writing transaction after locking the technician's user row (SELECT ...
FOR UPDATE), so two coordinators assigning the same person at the same moment queue on the
lock and the second sees the first one's visit. (SQLite has no row locks, but its IMMEDIATE
transactions serialise writers, which gives the same guarantee.)
"""

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from janitorial_crm.models import User
from scheduling.models import CleaningSchedule, VisitSeries
from scheduling.recurrence import occurrences

# A planned slot: (service date, start time, end time) on the wall clock.
Slot = tuple[dt.date, dt.time, dt.time]


@dataclasses.dataclass(frozen=True)
class Clash:
    """A planned slot that overlaps an existing visit of the same technician."""

    service_date: dt.date
    visit: CleaningSchedule


def horizon_date(today: dt.date | None = None) -> dt.date:
    """The last day visits are materialised for: settings.SCHEDULE_HORIZON_WEEKS ahead."""
    today = today or timezone.localdate()
    return today + dt.timedelta(weeks=settings.SCHEDULE_HORIZON_WEEKS)


def _span(
    service_date: dt.date, start_time: dt.time, end_time: dt.time
) -> tuple[dt.datetime, dt.datetime]:
    """The visit as a naive wall-clock interval; overnight visits end the next day.

    Wall-clock (not UTC) comparison is what a dispatcher means by "overlaps", also on the two
    nights a year the clock jumps.
    """
    start = dt.datetime.combine(service_date, start_time)
    end_date = service_date + dt.timedelta(days=1 if end_time < start_time else 0)
    return start, dt.datetime.combine(end_date, end_time)


def find_clashes(
    *,
    technician: User | None,
    slots: Sequence[Slot],
    exclude_pks: Iterable[int] = (),
    to_come: Iterable[CleaningSchedule] = (),
) -> list[Clash]:
    """The slots (date, start, end) that overlap a non-cancelled visit of `technician`, or one
    of the unsaved visits `to_come` (see `series_visits_to_come`).

    One query for all slots: the technician's visits from the day before the first slot (an
    overnight visit reaches into the next day) to the day after the last.
    """
    if technician is None or not slots:
        return []
    dates = [slot[0] for slot in slots]
    nearby = (
        CleaningSchedule.objects.filter(
            assigned_to=technician,
            service_date__gte=min(dates) - dt.timedelta(days=1),
            service_date__lte=max(dates) + dt.timedelta(days=1),
        )
        .not_cancelled()
        .exclude(pk__in=list(exclude_pks))
        .select_related("site")
    )
    by_date: dict[dt.date, list[CleaningSchedule]] = {}
    for visit in [*nearby, *to_come]:
        by_date.setdefault(visit.service_date, []).append(visit)
    clashes = []
    for service_date, start_time, end_time in slots:
        start, end = _span(service_date, start_time, end_time)
        neighbours = [
            visit
            for offset in (-1, 0, 1)
            for visit in by_date.get(service_date + dt.timedelta(days=offset), ())
        ]
        for visit in neighbours:
            other_start, other_end = _span(visit.service_date, visit.start_time, visit.end_time)
            if start < other_end and other_start < end:
                clashes.append(Clash(service_date, visit))
                break
    return clashes


def describe_visit(visit: CleaningSchedule) -> str:
    return _("%(site)s on %(date)s, %(start)s–%(end)s") % {
        "site": visit.site.site_code,
        "date": formats.date_format(visit.service_date, "D j M Y"),
        "start": visit.start_time.strftime("%H:%M"),
        "end": visit.end_time.strftime("%H:%M"),
    }


def clash_error(technician: User | None, clashes: Sequence[Clash]) -> ValidationError:
    first = clashes[0].visit
    message = _("%(technician)s already has an overlapping visit: %(visit)s.") % {
        "technician": technician,
        "visit": describe_visit(first),
    }
    if len(clashes) > 1:
        message += " " + _("%(count)d planned dates clash in all.") % {"count": len(clashes)}
    return ValidationError({"assigned_to": message}, code="double_booked")


def lock_technician(technician: User | None) -> None:
    """Serialise every booking of this person until the transaction ends."""
    if technician is not None:
        list(get_user_model().objects.select_for_update().filter(pk=technician.pk).values("pk"))


def check_times(start_time: dt.time, end_time: dt.time) -> None:
    if start_time == end_time:
        raise ValidationError(
            {"end_time": _("A visit cannot end at the time it starts.")}, code="zero_length"
        )


def visit_check_slot(
    *,
    technician: User | None,
    service_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    exclude_pks: Collection[int] = (),
) -> None:
    """Raise ValidationError if `technician` is booked then. Locks the technician's row: call it
    inside the transaction that writes the visit (Django admin's change form runs in one)."""
    check_times(start_time, end_time)
    ensure_free(
        technician=technician,
        slots=[(service_date, start_time, end_time)],
        exclude_pks=exclude_pks,
    )


def series_visits_to_come(
    *, technician: User | None, first: dt.date, last: dt.date, exclude_series: Iterable[int] = ()
) -> list[CleaningSchedule]:
    """Unsaved visits that `technician`'s active series will create from `first` to `last`:
    the dates past what the roll-forward has materialised so far (one query).

    Without them, a visit planned beyond the horizon would be checked against nothing there,
    and the nightly roll-forward would later find the clash and leave its visit unassigned.
    """
    if technician is None:
        return []
    series_list = (
        VisitSeries.objects.active()
        .filter(assigned_to=technician)
        .exclude(pk__in=list(exclude_series))
        .filter(Q(until__isnull=True) | Q(until__gte=first), first_date__lte=last)
        .select_related("site")
    )
    to_come = []
    for series in series_list:
        start = first
        if series.materialised_until:
            start = max(start, series.materialised_until + dt.timedelta(days=1))
        days = occurrences(
            frequency=series.frequency,
            first_date=series.first_date,
            until=series.until,
            skip_dates=series.skipped,
            window_start=start,
            window_end=last,
        )
        to_come += [
            CleaningSchedule(
                site=series.site,
                assigned_to=technician,
                series=series,
                service_date=day,
                start_time=series.start_time,
                end_time=series.end_time,
            )
            for day in days
        ]
    return to_come


def ensure_free(
    *, technician: User | None, slots: Sequence[Slot], exclude_pks: Collection[int] = ()
) -> None:
    """Raise ValidationError if any slot overlaps a visit of `technician`, saved or still to
    come from one of their series. A visit being changed (in `exclude_pks`) does not clash with
    itself, nor with the later dates of its own series (a series skips a date it already has a
    visit on)."""
    lock_technician(technician)
    if technician is None or not slots:
        return
    dates = [slot[0] for slot in slots]
    own_series = CleaningSchedule.objects.filter(
        pk__in=list(exclude_pks), series__isnull=False
    ).values_list("series_id", flat=True)
    to_come = series_visits_to_come(
        technician=technician,
        # An overnight visit of the day before reaches into the first slot's day.
        first=min(dates) - dt.timedelta(days=1),
        last=max(dates) + dt.timedelta(days=1),
        exclude_series=list(own_series) if exclude_pks else (),
    )
    clashes = find_clashes(
        technician=technician, slots=slots, exclude_pks=exclude_pks, to_come=to_come
    )
    if clashes:
        raise clash_error(technician, clashes)
