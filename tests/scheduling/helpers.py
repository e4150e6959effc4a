"""Shared constants and small helpers for the scheduling tests."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clock import MONDAY, NOW, TODAY, ZONE, at

NY = ZONE
__all__ = ["MONDAY", "NOW", "NY", "TODAY", "at", "d", "plan", "queries_for", "t"]


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
