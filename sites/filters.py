"""Filters of the site list. Parameter names are a contract: other pages link to them
(`q`, `client`, `service_level`, `active`, `ordering`; the office's list in portal adds
`low_stock=1` and `not_inspected_days=N`)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from janitorial_crm.filters import SearchFilter
from sites.models import ClientSite, ServiceLevel


class ClientSiteFilter(django_filters.FilterSet):
    """What anyone who sees sites may filter on (clients included): summary fields only."""

    q = SearchFilter(
        search_fields=("site_name", "site_code", "client_name", "address"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, code, client or address")}),
    )
    client = django_filters.ChoiceFilter(
        label=_("Client"), field_name="client_name", empty_label=_("All clients")
    )
    service_level = django_filters.ChoiceFilter(
        label=_("Service level"), choices=ServiceLevel.choices, empty_label=_("All levels")
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("1", _("Active")), ("0", _("Inactive"))],
        method="filter_active",
        empty_label=_("Active and inactive"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Name (default)"),
        fields=(
            ("site_name", "name"),
            ("site_code", "code"),
            ("client_name", "client"),
            ("service_level", "service_level"),
        ),
        field_labels={
            "name": _("Name"),
            "code": _("Code"),
            "client": _("Client"),
            "service_level": _("Service level"),
        },
    )

    class Meta:
        model = ClientSite
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the clients of sites this user can see (one query, however many sites).
        names = self.queryset.order_by("client_name").values_list("client_name", flat=True)
        self.filters["client"].extra["choices"] = [(n, n) for n in names.distinct()]

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "1")
