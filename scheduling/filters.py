"""Filters for the visit list and the dispatch board (query parameter names are a contract:
other pages link to `q`, `site`, `assigned_to`, `status`, `date_from`, `date_to`, `ordering`)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from janitorial_crm.filters import SearchFilter
from janitorial_crm.pickers import PersonPickerField, PickerFilter, SitePickerField
from janitorial_crm.widgets import AutocompletePicker
from scheduling.models import CleaningSchedule, VisitStatus
from sites.models import ClientSite

User = get_user_model()
_DATE = forms.DateInput(attrs={"type": "date"})
ALL = _("All")


def visible_sites(request):
    if request is None:
        return ClientSite.objects.none()
    return ClientSite.objects.for_user(request.user).only("pk", "site_code", "site_name")


def visible_technicians(request):
    """People the user may filter by: the assignees of the visits they can see.

    Company-wide roles get every technician without scanning the visits table.
    """
    if request is None:
        return User.objects.none()
    user = request.user
    if user.sees_everything:
        return User.objects.active_technicians()
    assignees = CleaningSchedule.objects.for_user(user).values("assigned_to")
    return User.objects.filter(pk__in=assignees)


def site_filter():
    """`?site=`: a site the user may see, picked by code or name (the list's and the board's)."""
    return PickerFilter(
        label=_("Site"),
        queryset=visible_sites,
        empty_label=ALL,
        field_class=SitePickerField,
        widget=AutocompletePicker("pickers:sites"),
    )


def technician_filter():
    """`?assigned_to=`: one of the technicians of the visits the user may see."""
    return PickerFilter(
        label=_("Technician"),
        queryset=visible_technicians,
        empty_label=ALL,
        field_class=PersonPickerField,
        widget=AutocompletePicker("pickers:visit_technicians"),
    )


def status_filter():
    return django_filters.ChoiceFilter(
        label=_("Status"), choices=VisitStatus.choices, empty_label=ALL
    )


class VisitFilter(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=(
            "site__site_code",
            "site__site_name",
            "assigned_to__full_name",
            "assigned_to__username",
            "notes",
        )
    )
    site = site_filter()
    assigned_to = technician_filter()
    status = status_filter()
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="service_date", lookup_expr="gte", widget=_DATE
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="service_date", lookup_expr="lte", widget=_DATE
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(
            ("service_date", "service_date"),
            ("start_time", "start_time"),
            ("site__site_code", "site"),
            ("assigned_to__full_name", "assigned_to"),
            ("status", "status"),
        ),
        field_labels={
            "service_date": _("Date"),
            "start_time": _("Start time"),
            "site__site_code": _("Site"),
            "assigned_to__full_name": _("Technician"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = CleaningSchedule
        fields = ["q", "site", "assigned_to", "status", "date_from", "date_to"]


class BoardFilter(django_filters.FilterSet):
    """The board's filters: the week comes from its own `week` parameter."""

    site = site_filter()
    assigned_to = technician_filter()
    status = status_filter()

    class Meta:
        model = CleaningSchedule
        fields = ["site", "assigned_to", "status"]
