"""The visits of the large demo data set: recurring series and one-off jobs over a year.

Like the app (scheduling.services.booking), a technician is never booked twice at once: each
series gets a time slot its technician is free for, an occurrence the technician cannot make
goes to the site's backup or is skipped (the series' `skip_dates`), and one-off jobs go where
someone is free. Statuses, their timestamps and the status history agree with "now".
"""

import datetime as dt
import itertools
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.large.vocabulary import (
    FREQUENCY_WEIGHTS,
    ONE_OFF_JOBS,
    ONE_OFF_SLOTS,
    RECURRING_SHARE,
    RECURRING_SLOTS,
    SERIES_NOTES,
    VISIT_NOTES,
)
from janitorial_crm.roles import Role
from scheduling.models import (
    CleaningSchedule,
    Frequency,
    VisitSeries,
    VisitStatus,
    VisitStatusChange,
)

DEEP_CLEAN_SLOT = ((9, 0), (13, 0))


def occurrences(frequency, first, last):
    """The dates of a series from `first` to `last` inclusive (the app's rule: same weekday,
    same day of the month, Monday to Friday)."""
    if frequency == Frequency.MONTHLY:
        dates = (first + relativedelta(months=m) for m in itertools.count())
        return list(itertools.takewhile(lambda d: d <= last, dates))
    step = {Frequency.WEEKLY: 7, Frequency.BIWEEKLY: 14}.get(frequency, 1)
    dates = [first + dt.timedelta(days=d) for d in range(0, (last - first).days + 1, step)]
    if frequency == Frequency.WEEKDAYS:
        dates = [d for d in dates if d.weekday() < 5]
    return dates


def _span(day, start, end):
    """Wall-clock interval of a visit; an overnight visit ends the next day."""
    begins = dt.datetime.combine(day, dt.time(*start))
    ends = dt.datetime.combine(day + dt.timedelta(days=1 if end <= start else 0), dt.time(*end))
    return begins, ends


class _Bookings:
    """Who is busy when, per technician and day."""

    def __init__(self):
        self.busy = defaultdict(lambda: defaultdict(list))

    def free(self, technician, day, start, end):
        if technician is None:
            return True
        begins, ends = _span(day, start, end)
        days = self.busy[technician.pk]
        return not any(
            other_begins < ends and begins < other_ends
            for offset in (-1, 0, 1)
            for other_begins, other_ends in days.get(day + dt.timedelta(days=offset), ())
        )

    def book(self, technician, day, start, end):
        if technician is not None:
            self.busy[technician.pk][day].append(_span(day, start, end))


class VisitPlanner:
    """Plans the series and visits of one seed run (rows not saved yet)."""

    def __init__(self, builder):
        self.rng = builder.rng
        self.now, self.today, self.at = builder.now, builder.today, builder.at
        self.sites, self.site_techs = builder.sites, builder.site_techs
        self.coordinators = builder.by_role[Role.COORDINATOR]
        self.target = builder.counts["visits"]
        self.window_start = self.today - dt.timedelta(days=182)
        self.window_end = self.today + dt.timedelta(days=182)
        # The series' technicians' weeks while choosing slots, then the visits really booked.
        self.planned, self.bookings = _Bookings(), _Bookings()
        self.visits = []

    def plan_series(self):
        """One series per site (a fifth also get a monthly deep clean); returns the series."""
        rng = self.rng
        budget = int(self.target * RECURRING_SHARE)
        frequencies, weights = zip(*FREQUENCY_WEIGHTS, strict=True)
        planned = []
        for site in self.sites:
            specs = [(rng.choices(frequencies, weights)[0], None)]
            if rng.random() < 0.2:
                specs.append((Frequency.MONTHLY, DEEP_CLEAN_SLOT))
            for frequency, slot in specs:
                if rng.random() < 0.75:
                    first = self.window_start + dt.timedelta(days=rng.randint(0, 6))
                else:
                    first = self.window_start + dt.timedelta(days=rng.randint(7, 300))
                until = None
                if rng.random() < 0.08:
                    until = min(first + dt.timedelta(days=rng.randint(30, 200)), self.window_end)
                room = budget - sum(len(dates) for _, dates, _ in planned)
                dates = occurrences(frequency, first, until or self.window_end)[:room]
                if not dates:
                    continue
                if until is None and dates[-1] < self.window_end - dt.timedelta(days=31):
                    until = dates[-1]  # cut short by the budget: the contract ended there
                technician = self.site_techs[site.pk][0]
                slot = slot or self._free_slot(technician, dates)
                for day in dates:
                    self.planned.book(technician, day, *slot)
                series = VisitSeries(
                    site=site,
                    assigned_to=self.site_techs[site.pk][0],
                    frequency=frequency,
                    first_date=dates[0],
                    until=until,
                    start_time=dt.time(*slot[0]),
                    end_time=dt.time(*slot[1]),
                    notes=SERIES_NOTES[frequency],
                    materialised_until=dates[-1],
                    active=until is None or until >= self.today,
                )
                series.created_at = series.updated_at = min(
                    self.now, self.at(dates[0], (10, 0)) - dt.timedelta(days=7)
                )
                planned.append((series, dates, slot))
        self.series_plans = planned
        return [series for series, _, _ in planned]

    def _free_slot(self, technician, dates):
        """A slot (weighted random) the technician is free for on all dates, or the freest."""
        rng = self.rng
        # Weighted random order (Efraimidis-Spirakis): key u ** (1 / weight), largest first.
        ordered = sorted(RECURRING_SLOTS, key=lambda s: rng.random() ** (1 / s[2]), reverse=True)
        best, best_free = None, -1
        for start, end, _weight in ordered:
            if all(self.planned.free(technician, day, start, end) for day in dates):
                return start, end
            free = sum(self.planned.free(technician, day, start, end) for day in dates)
            if free > best_free:
                best, best_free = (start, end), free
        return best

    def plan_visits(self):
        """The series' visits, then one-off jobs up to the target; returns all visits."""
        rng = self.rng
        for series, dates, (start, end) in self.series_plans:
            techs = self.site_techs[series.site_id]
            for day in dates:
                # Now and then the backup covers; a technician who is busy elsewhere never does.
                preferred = [techs[-1], techs[0]] if rng.random() < 0.05 else [techs[0], techs[-1]]
                assignee = next(
                    (t for t in preferred if self.bookings.free(t, day, start, end)), None
                )
                if assignee is None:
                    series.skip_dates.append(day.isoformat())  # nobody free: not cleaned
                    continue
                self.add(series.site, day, start, end, assignee, series, series.created_at)
        self._plan_one_offs()
        return self.visits

    def _plan_one_offs(self):
        rng = self.rng
        # A few jobs started an hour ago, so that work is under way whenever the seed runs.
        an_hour_ago = timezone.localtime(self.now) - dt.timedelta(hours=1)
        under_way = max(1, round(self.target * 0.001))
        for _ in range(50 * under_way):
            if not under_way or len(self.visits) >= self.target:
                break
            under_way -= bool(self._one_off(an_hour_ago.date(), (an_hour_ago.hour, 0), True))
        for _ in range(100 * self.target):  # bounded; in practice a few tries per job
            if len(self.visits) >= self.target:
                return
            day = self.window_start + dt.timedelta(days=rng.randint(0, 364))
            self._one_off(day, rng.choice(ONE_OFF_SLOTS))
        raise RuntimeError("No free technician for the one-off jobs.")  # pragma: no cover

    def _one_off(self, day, start, running=False):
        """A one-off job at a random site, for one of its technicians who is free then (some
        future jobs are not dispatched yet); None if nobody can take it."""
        rng = self.rng
        site = rng.choice(self.sites)
        end = ((start[0] + 4) % 24, start[1])
        free = [t for t in self.site_techs[site.pk] if self.bookings.free(t, day, start, end)]
        if day > self.today and rng.random() < 0.1:
            assignee = None  # not yet dispatched
        elif free:
            assignee = rng.choice(free)
        else:
            return None
        created = min(self.now, self.at(day, start) - dt.timedelta(days=rng.randint(1, 30)))
        visit = self.add(site, day, start, end, assignee, None, created, running=running)
        visit.notes = rng.choice(ONE_OFF_JOBS)
        return visit

    def add(self, site, day, start, end, assignee, series, created, running=False):
        """One visit, booked for its technician, with a status that fits its time and now."""
        rng = self.rng
        self.bookings.book(assignee, day, start, end)
        starts = self.at(day, start)
        ends = self.at(day + dt.timedelta(days=1) if end <= start else day, end)
        visit = CleaningSchedule(
            site=site,
            assigned_to=assignee,
            series=series,
            service_date=day,
            start_time=dt.time(*start),
            end_time=dt.time(*end),
            frequency=series.frequency if series else Frequency.ONCE,
            status=VisitStatus.SCHEDULED,
            created_at=created,
            updated_at=created,
        )
        roll = rng.random()
        if ends <= self.now and assignee is not None:
            if roll < 0.9:
                visit.status = VisitStatus.COMPLETED
                visit.started_at = starts + dt.timedelta(minutes=rng.randint(-10, 15))
                visit.completed_at = min(
                    self.now, ends + dt.timedelta(minutes=rng.randint(-25, 20))
                )
                visit.status_changed_at, visit.status_changed_by = visit.completed_at, assignee
                if rng.random() < 0.05:
                    visit.notes = rng.choice(VISIT_NOTES)
            elif roll < 0.95:
                # Marked missed by the nightly job: attributed to nobody, as the app does.
                visit.status = VisitStatus.MISSED
                visit.status_changed_at = min(
                    self.now, ends + dt.timedelta(hours=rng.randint(1, 9))
                )
            else:
                visit.status = VisitStatus.CANCELLED
                visit.status_changed_at = starts - dt.timedelta(hours=rng.randint(2, 72))
                visit.status_changed_by = rng.choice(self.coordinators)
        elif starts <= self.now and assignee is not None:
            if running or roll < 0.85:  # under way right now; the rest are running late
                visit.status = VisitStatus.IN_PROGRESS
                visit.started_at = min(self.now, starts + dt.timedelta(minutes=rng.randint(-5, 10)))
                visit.status_changed_at, visit.status_changed_by = visit.started_at, assignee
        elif roll < 0.02:
            visit.status = VisitStatus.CANCELLED
            visit.status_changed_at = self.now - dt.timedelta(hours=rng.randint(1, 48))
            visit.status_changed_by = rng.choice(self.coordinators)
        if visit.status_changed_at:
            visit.status_changed_at = max(visit.status_changed_at, created)
            visit.updated_at = visit.status_changed_at
        self.visits.append(visit)
        return visit


def status_history(visits):
    """The status moves that led each saved visit to its status (VisitStatusChange rows)."""
    changes = []
    for visit in visits:
        moves = []
        if visit.status in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED):
            moves.append((VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, visit.started_at))
        if visit.status == VisitStatus.COMPLETED:
            moves.append((VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED, visit.completed_at))
        elif visit.status in (VisitStatus.MISSED, VisitStatus.CANCELLED):
            moves.append((VisitStatus.SCHEDULED, visit.status, visit.status_changed_at))
        changes += [
            VisitStatusChange(
                visit=visit,
                from_status=old,
                to_status=new,
                changed_by=visit.status_changed_by,
                changed_at=when,
            )
            for old, new, when in moves
        ]
    return changes
