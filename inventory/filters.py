"""Filters for the stock lists: q, site, category, low=1, soon=1 (both: either) and ordering."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from inventory.models import Category
from janitorial_crm.filters import SearchFilter
from janitorial_crm.pickers import PickerFilter, SitePickerField
from janitorial_crm.widgets import AutocompletePicker
from sites.models import ClientSite


def _sites(request):
    if request is None:
        return ClientSite.objects.none()
    sites = ClientSite.objects.for_user(request.user).order_by("site_name")
    return sites.only("pk", "site_code", "site_name")


class StockOrderingFilter(django_filters.OrderingFilter):
    """Ordering with "no forecast" (NULL days left) last either way, and a stable tiebreak so
    that pages never repeat or skip rows."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            name = self.get_ordering_value(param)
            descending = name.startswith("-")
            expression = F(name.lstrip("-"))
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "item_name", "pk")


class SupplyInventoryFilter(django_filters.FilterSet):
    q = SearchFilter(search_fields=("item_name", "sku", "site__site_code", "site__site_name"))
    site = PickerFilter(
        queryset=_sites,
        label=_("Site"),
        field_class=SitePickerField,
        widget=AutocompletePicker("pickers:sites"),
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    low = django_filters.BooleanFilter(
        method="filter_low", widget=forms.CheckboxInput, label=_("Low stock only")
    )
    soon = django_filters.BooleanFilter(
        method="filter_soon", widget=forms.CheckboxInput, label=_("Running low soon")
    )
    ordering = StockOrderingFilter(
        fields=(
            ("item_name", "item"),
            ("site__site_code", "site"),
            ("category", "category"),
            ("quantity_on_hand", "quantity"),
            ("days_left", "days_left"),
        ),
        field_labels={
            "item_name": _("Item"),
            "site__site_code": _("Site"),
            "category": _("Category"),
            "quantity_on_hand": _("Quantity on hand"),
            "days_left": _("Days left"),
        },
        label=_("Sort by"),
    )

    # low=1 and soon=1 together mean "low OR running low soon", what the low-stock page shows
    # (both conditions at once match nothing: an item that runs low soon is not low yet).

    def filter_low(self, queryset, name, value):
        if not value:
            return queryset
        if self.form.cleaned_data.get("soon"):
            return queryset.needing_attention()
        return queryset.low()

    def filter_soon(self, queryset, name, value):
        if not value or self.form.cleaned_data.get("low"):
            return queryset  # with low=1, filter_low applies both
        # `runs_low_soon` is annotated by SupplyInventoryQuerySet.with_forecast().
        return queryset.filter(runs_low_soon=True)


class LowStockFilter(SupplyInventoryFilter):
    """The low-stock page is already "low or soon low": no low/soon boxes, no sort."""

    low = None
    soon = None
    ordering = None
