"""Times as people read them off a wall clock, on every night of the year.

Twice a year the company's clock is not a straight line. On the night clocks go back (US: the
first Sunday of November) 01:00–01:59 happens twice; on the night they go forward (the second
Sunday of March) 02:00–02:59 never happens. Night work is normal in this trade, so a form must
accept what a person sees on the wall on both nights:

- a repeated time is read as the occurrence nearest to the value the form showed (the stored
  value when editing, "now" when filing), so re-saving a form as it was pre-filled keeps the
  moment it means; with nothing to go by, the first occurrence;
- a time that does not exist is a plain-language message next to the field.

Django's own form fields refuse both with an internal message ("couldn't be interpreted in time
zone ...; it may be ambiguous"); the fields here replace them in the portal and in admin.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

REPEATED_HOUR_HELP = _(
    "On the night the clocks go back, a time in the repeated hour means the occurrence "
    "nearest to the one first shown here."
)


def days_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The same wall-clock time `days` calendar days before `moment`.

    "Within the last 7 days" is counted in calendar days on the company's clock: across a DST
    night one of those days is 23 or 25 hours long, so subtracting 7 × 24 hours would move the
    boundary by an hour. (Aware arithmetic in one zone is wall-clock arithmetic in Python.)
    """
    return timezone.localtime(moment) - dt.timedelta(days=days)


def exists_on_wall_clock(moment: dt.datetime) -> bool:
    """False for a naive local time that the clock skips (02:30 on a spring-forward night)."""
    zone = timezone.get_current_timezone()
    aware = moment.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return round_trip == moment.replace(fold=0)


def nonexistent_time_error(moment: dt.datetime) -> ValidationError:
    return ValidationError(
        _(
            "%(time)s does not exist on %(date)s: the clocks jump forward an hour that night. "
            "Enter a time an hour later (or earlier)."
        ),
        code="nonexistent_time",
        params={
            "time": formats.time_format(moment.time(), "H:i"),
            "date": formats.date_format(moment.date(), "D j M Y"),
        },
    )


def check_wall_clock(day: dt.date, time: dt.time) -> None:
    """Raise a plain-language ValidationError if `time` on `day` is skipped by the clock."""
    moment = dt.datetime.combine(day, time)
    if not exists_on_wall_clock(moment):
        raise nonexistent_time_error(moment)


def make_aware_wall_clock(moment: dt.datetime, *, near: dt.datetime | None = None) -> dt.datetime:
    """The naive local `moment` as an aware datetime in the current zone.

    A repeated time resolves to the occurrence nearest to `near` (the first one without it);
    a skipped time raises the ValidationError of `nonexistent_time_error`.
    """
    if not exists_on_wall_clock(moment):
        raise nonexistent_time_error(moment)
    zone = timezone.get_current_timezone()
    first = moment.replace(tzinfo=zone, fold=0)
    second = moment.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset() or near is None:
        return first
    return min((first, second), key=lambda candidate: abs(candidate - near))


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time in the company's zone that accepts both nights of a DST change."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", REPEATED_HOUR_HELP)
        super().__init__(**kwargs)

    def _clean_bound_field(self, bf):
        # The value the form showed (the stored one, or "now" for a new record) decides which
        # occurrence of a repeated hour is meant.
        near = bf.initial if isinstance(bf.initial, dt.datetime) else None
        return self.clean_near(bf.initial if self.disabled else bf.data, near=near)

    def clean_near(self, value, *, near=None):
        value = self.naive_python(value)
        if value is not None and timezone.is_naive(value):
            value = make_aware_wall_clock(value, near=near)
        self.validate(value)
        self.run_validators(value)
        return value

    def clean(self, value):
        return self.clean_near(value)

    def naive_python(self, value):
        """The submitted value as a naive local datetime (an aware one is kept as it is)."""
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        try:
            result = parse_datetime(value.strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:
            # Through the field's input formats (BaseTemporalField.to_python, not the
            # zone conversion of DateTimeField.to_python).
            result = BaseTemporalField.to_python(self, value)
        return result


class WallClockSplitDateTimeField(forms.SplitDateTimeField):
    """Admin's date + time pair, with the same reading of DST nights."""

    def _clean_bound_field(self, bf):
        self._near = bf.initial if isinstance(bf.initial, dt.datetime) else None
        try:
            return super()._clean_bound_field(bf)
        finally:
            self._near = None

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return make_aware_wall_clock(
            dt.datetime.combine(day, time), near=getattr(self, "_near", None)
        )
