import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal import site_queries
from sites.filters import ClientSiteFilter


class OperationsSiteFilter(ClientSiteFilter):
    """The office's site list adds the internal figures: stock and inspection freshness.

    The view annotates `low_stock_count` and `last_inspected_at` for this filter's users, so
    sorting on them is offered here only.
    """

    low_stock = django_filters.BooleanFilter(
        label=_("Has low stock"), method="filter_low_stock", widget=forms.CheckboxInput
    )
    not_inspected_days = django_filters.NumberFilter(
        label=_("Not inspected in (days)"),
        method="filter_not_inspected",
        min_value=1,
        max_value=3650,
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Name (default)"),
        fields=(
            ("site_name", "name"),
            ("site_code", "code"),
            ("client_name", "client"),
            ("service_level", "service_level"),
            ("low_stock_count", "low_stock"),
            ("last_inspected_at", "last_inspected"),
        ),
        field_labels={
            "name": _("Name"),
            "code": _("Code"),
            "client": _("Client"),
            "service_level": _("Service level"),
            "low_stock": _("Low-stock items"),
            "last_inspected": _("Last inspection"),
        },
    )

    def filter_low_stock(self, queryset, name, value):
        return site_queries.with_low_stock(queryset) if value else queryset

    def filter_not_inspected(self, queryset, name, value):
        return site_queries.not_inspected_within(queryset, int(value)) if value else queryset
