"""Validators shared by every app's forms."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates a cleaning company plans with. Outside this range a date is a typo (or a probe), and
# date arithmetic near year 1 or 9999 overflows.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def validate_business_date(value):
    """Refuse dates outside EARLIEST_DATE..LATEST_DATE with a message next to the field."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DATE or day > LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(start)s and %(end)s."),
            code="date_out_of_range",
            params={"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
        )


def clamp_business_date(value):
    """For dates read from query strings (week/month navigation): keep them in range."""
    return min(max(value, EARLIEST_DATE), LATEST_DATE)
