"""The recurrence rules of visit series, on python-dateutil's rrule. Pure functions of dates.

Rules, from the first date on:
- once: the first date only;
- daily: every day;
- weekdays: Monday to Friday (a series starting on a weekend begins the Monday after);
- weekly / biweekly: the first date's weekday, every week / every second week;
- monthly: the first date's day of the month. A day the month lacks falls on the month's last
  day instead (a series on the 31st visits on 30 April and 28 or 29 February; one on the 30th
  visits on 28/29 February), so a month is never silently skipped.
Skip dates (holidays) are left out; `until` is inclusive.
"""

import datetime as dt

from dateutil import rrule

from scheduling.models import Frequency

_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR)


def _rule(frequency, first_date, until):
    start = dt.datetime.combine(first_date, dt.time())
    end = dt.datetime.combine(until, dt.time()) if until else None
    if frequency == Frequency.DAILY:
        return rrule.rrule(rrule.DAILY, dtstart=start, until=end)
    if frequency == Frequency.WEEKDAYS:
        return rrule.rrule(rrule.DAILY, dtstart=start, until=end, byweekday=_WEEKDAYS)
    if frequency == Frequency.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, dtstart=start, until=end)
    if frequency == Frequency.BIWEEKLY:
        return rrule.rrule(rrule.WEEKLY, interval=2, dtstart=start, until=end)
    if frequency == Frequency.MONTHLY:
        day = first_date.day
        if day <= 28:
            return rrule.rrule(rrule.MONTHLY, dtstart=start, until=end, bymonthday=day)
        # The last of the days 28..day that the month has: the day itself, or the month's end.
        return rrule.rrule(
            rrule.MONTHLY,
            dtstart=start,
            until=end,
            bymonthday=tuple(range(28, day + 1)),
            bysetpos=-1,
        )
    raise ValueError(f"Unknown frequency {frequency!r}")


def occurrences(*, frequency, first_date, until=None, skip_dates=(), window_start, window_end):
    """The visit dates of a rule that fall in [window_start, window_end], in order."""
    skip = set(skip_dates)
    low = max(first_date, window_start)
    high = min(until, window_end) if until else window_end
    if low > high:
        return []
    if frequency == Frequency.ONCE:
        dates = [first_date] if low <= first_date <= high else []
    else:
        rule = _rule(frequency, first_date, until)
        found = rule.between(
            dt.datetime.combine(low, dt.time()), dt.datetime.combine(high, dt.time()), inc=True
        )
        dates = [moment.date() for moment in found]
    return [day for day in dates if day not in skip]
