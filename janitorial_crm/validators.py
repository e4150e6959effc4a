"""Validators shared by every app's forms."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates a cleaning company plans with. Outside this range a date is a typo (or a probe), and
# date arithmetic near year 1 or 9999 overflows.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def validate_business_date(value: dt.date) -> None:
    """Refuse dates outside EARLIEST_DATE..LATEST_DATE with a message next to the field."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DATE or day > LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(start)s and %(end)s."),
            code="date_out_of_range",
            params={"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
        )


def clamp_business_date(value: dt.date) -> dt.date:
    """For dates read from query strings (week/month navigation): keep them in range."""
    return min(max(value, EARLIEST_DATE), LATEST_DATE)


MAX_PK = 2**63 - 1


def parse_pk(value: object) -> int | None:
    """`value` (from a query string or a hidden input) as a primary key, or None if it is not one.

    ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses or reads as
    another number; the length is bounded before int() (a 5,000-digit string would raise).
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > len(str(MAX_PK)) or not (text.isascii() and text.isdigit()):
        return None
    pk = int(text)
    return pk if 0 < pk <= MAX_PK else None
