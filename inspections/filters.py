"""Filters of the inspection list. Parameter names are shared with other pages that link here:
q, site, inspector, date_from, date_to, score_below, open_actions=1, overdue=1, ordering."""

import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import SiteInspectionLog, visible_sites
from inspections.permissions import can_view_internal
from janitorial_crm.pickers import PersonPickerField, PickerFilter, SitePickerField
from janitorial_crm.validators import validate_business_date
from janitorial_crm.widgets import AutocompletePicker
from sites.models import ClientSite


class FlagFilter(django_filters.BooleanFilter):
    """A checkbox that is on for `?name=1` (or a ticked box) and means "no filter" when off."""

    field_class = forms.BooleanField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the primary key as tie-breaker, so pages never repeat or skip rows."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


def _sites(request):
    if request is None:
        return ClientSite.objects.none()
    return visible_sites(request.user).order_by("site_code").only("pk", "site_code", "site_name")


def visible_inspectors(request):
    """The inspectors of the inspections the user sees (the inspector filter, its picker)."""
    users = get_user_model().objects
    if request is None:
        return users.none()
    logs = SiteInspectionLog.objects.for_user(request.user)
    return users.filter(pk__in=logs.values("inspector")).order_by("full_name", "username")


def _start_of(day):
    """Midnight at the start of `day` in the company's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    site = PickerFilter(
        label=_("Site"),
        queryset=_sites,
        field_class=SitePickerField,
        widget=AutocompletePicker("pickers:inspection_sites"),
    )
    inspector = PickerFilter(
        label=_("Inspector"),
        queryset=visible_inspectors,
        field_class=PersonPickerField,
        widget=AutocompletePicker("pickers:inspectors"),
    )
    # Day bounds are turned into aware datetimes in the company zone so that the filter is a
    # plain range on the indexed column (`__date` wraps the column in a function: no index).
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_business_date],
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_business_date],
    )
    score_below = django_filters.NumberFilter(
        label=_("Score below"),
        field_name="score",
        lookup_expr="lt",
        min_value=0,
        max_value=101,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    open_actions = FlagFilter(label=_("Open actions only"), method="filter_open_actions")

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(inspection_date__gte=_start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(inspection_date__lt=_start_of(value + dt.timedelta(days=1)))

    overdue = FlagFilter(label=_("Overdue only"), method="filter_overdue")
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("inspection_date", "date"),
            ("score", "score"),
            ("site__site_code", "site"),
        ),
        field_labels={
            "date": _("Date (oldest first)"),
            "-date": _("Date (newest first)"),
            "score": _("Score (lowest first)"),
            "-score": _("Score (highest first)"),
            "site": _("Site"),
            "-site": _("Site (descending)"),
        },
    )

    class Meta:
        model = SiteInspectionLog
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.can_view_internal = user is not None and can_view_internal(user)
        if not self.can_view_internal:
            # Clients do not pick inspectors: staff names stay out of their portal.
            del self.filters["inspector"]

    def search(self, queryset, name, value):
        terms = Q(site__site_code__icontains=value) | Q(site__site_name__icontains=value)
        terms |= Q(findings__icontains=value) | Q(corrective_actions__icontains=value)
        if self.can_view_internal:
            # Internal notes are searchable only by those who may read them: otherwise the
            # search itself would reveal what they say.
            terms |= Q(internal_notes__icontains=value)
        return queryset.filter(terms)

    def filter_open_actions(self, queryset, name, value):
        return queryset.open_actions() if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
