"""The suite's one clock.

Every test runs frozen at `NOW` (the autouse `frozen` fixture in tests/conftest.py), in the
company zone the suite pins (`ZONE`). Dates in tests, factory defaults and helpers derive from
`NOW`, never from the real clock, so the suite gives the same answer on any day it runs.
A test that needs another moment moves the clock (`frozen.move_to(...)` or a nested
`time_machine.travel`); a test that needs the real clock says why with
`@pytest.mark.real_clock(reason=...)`.
"""

import datetime as dt
from zoneinfo import ZoneInfo

ZONE_NAME = "America/New_York"
ZONE = ZoneInfo(ZONE_NAME)
# Tuesday 24 November 2026, noon in New York.
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=ZONE)
TODAY = NOW.date()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())

# The two nights a year the wall clock is not a straight line (US rules).
SPRING_FORWARD = dt.date(2027, 3, 14)  # 02:00 → 03:00: 02:30 does not exist
FALL_BACK = dt.date(2027, 11, 7)  # 02:00 → 01:00: 01:30 happens twice


def at(day, hour, minute=0, *, fold=0):
    """An aware moment on the company's clock; `fold=1` is the second 01:30 of a fall-back night."""
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=ZONE)
