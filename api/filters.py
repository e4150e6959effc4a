import django_filters


class SyncFilterSet(django_filters.FilterSet):
    """Filters every API list shares: `updated_since=<ISO 8601 timestamp>` for incremental sync
    (rows changed at or after it)."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only rows changed at or after this moment (ISO 8601, e.g. 2026-11-24T12:00Z).",
    )
