"""The dispatch board's week grid: rows (technicians or sites) × seven days of visits.

Built in Python from two queries (the week's visits with their site and technician, and the
technicians), so the board costs the same however many visits it shows.
"""

import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from janitorial_crm.validators import clamp_business_date

BY_TECHNICIAN = "technician"
BY_SITE = "site"


def week_start(day):
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def parse_week(value, today):
    """The Monday of the week named by `value` (any YYYY-MM-DD in it); this week if invalid.

    Clamped to the business date range, so the week's days and the previous/next links never
    overflow (year 1 or 9999 in a hand-typed URL).
    """
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        day = today
    return week_start(clamp_business_date(day))


@dataclasses.dataclass
class BoardCell:
    day: dt.date
    visits: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class BoardRow:
    label: str
    key: str
    technician: object = None
    site: object = None
    unassigned: bool = False
    cells: list = dataclasses.field(default_factory=list)

    @property
    def count(self):
        return sum(len(cell.visits) for cell in self.cells)


def build_rows(*, visits, days, mode, technicians=(), site=None):
    """Rows of the grid. `visits` must be the week's visits with site and technician loaded.

    By technician: every listed technician (free ones too: that is where work can move to),
    then anyone else holding a visit that week, with an "Unassigned" row first when there are
    unassigned visits. By site: the sites with visits that week (or the filtered site).
    """
    index = {day: position for position, day in enumerate(days)}
    rows = {}

    def row_for(key, **kwargs):
        if key not in rows:
            rows[key] = BoardRow(key=key, cells=[BoardCell(day) for day in days], **kwargs)
        return rows[key]

    if mode == BY_SITE:
        if site is not None:
            row_for(f"s{site.pk}", label=str(site), site=site)
        for visit in visits:
            row = row_for(f"s{visit.site_id}", label=str(visit.site), site=visit.site)
            row.cells[index[visit.service_date]].visits.append(visit)
        ordered = sorted(rows.values(), key=lambda row: row.site.site_code)
    else:
        if any(visit.assigned_to_id is None for visit in visits):
            row_for("unassigned", label=_("Unassigned"), unassigned=True)
        for person in technicians:
            row_for(f"t{person.pk}", label=str(person), technician=person)
        for visit in visits:
            if visit.assigned_to_id is None:
                row = rows["unassigned"]
            else:
                person = visit.assigned_to
                row = row_for(f"t{person.pk}", label=str(person), technician=person)
            row.cells[index[visit.service_date]].visits.append(visit)
        ordered = list(rows.values())
    for row in ordered:
        for cell in row.cells:
            cell.visits.sort(key=lambda visit: (visit.start_time, visit.pk))
    return ordered
