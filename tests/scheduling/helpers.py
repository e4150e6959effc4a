"""Shared constants and small helpers for the scheduling tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

NY = ZoneInfo("America/New_York")
# Tuesday 24 November 2026, noon in New York: the tests' "now" unless they say otherwise.
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=NY)
TODAY = NOW.date()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def at(day, hour, minute=0):
    """An aware moment on the company's clock."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def t(text):
    """dt.time from "HH:MM"."""
    return dt.time.fromisoformat(text)


def d(text):
    return dt.date.fromisoformat(text)


def queries_for(client, url):
    """(response, number of SQL queries) for a GET of `url`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


def plan(site, technician, **overrides):
    """The visit/series create form's POST data, as the page renders it, with overrides."""
    from scheduling.models import Frequency

    data = {
        "site": site.pk,
        "assigned_to": technician.pk if technician else "",
        "first_date": str(TODAY),
        "start_time": "18:00",
        "end_time": "22:00",
        "frequency": Frequency.ONCE,
        "until": "",
        "skip_dates": "",
        "notes": "",
    }
    data.update(overrides)
    return data
