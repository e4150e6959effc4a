import datetime as dt

import django_filters
from django import forms

from janitorial_crm.validators import validate_business_date


class SyncMomentField(forms.DateTimeField):
    """An ISO 8601 moment, in UTC, within the dates the product works with (2000–2100).

    Converted to UTC because a database refuses unusual offsets (PostgreSQL: ±15:59 at most),
    which a client may still send: `2026-11-24T12:00-22:30` is a valid ISO moment."""

    default_validators = [validate_business_date]

    def to_python(self, value):
        moment = super().to_python(value)
        return moment.astimezone(dt.UTC) if moment is not None else None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = SyncMomentField


class SyncFilterSet(django_filters.FilterSet):
    """Filters every API list shares: `updated_since=<ISO 8601 timestamp>` for incremental sync
    (rows changed at or after it)."""

    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only rows changed at or after this moment (ISO 8601, e.g. 2026-11-24T12:00Z).",
    )
