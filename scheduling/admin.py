"""Visits in Django admin, on the same access layer and the same double-booking rule as the
portal. Status is read-only here: status moves go through the portal's actions, which
timestamp and attribute them."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline
from scheduling import services
from scheduling.forms import BusinessDateField, SkipDatesField, WallClockTimesMixin
from scheduling.models import (
    CalendarFeedToken,
    CleaningSchedule,
    VisitSeries,
    VisitStatus,
    VisitStatusChange,
)


class TechnicianChoicesMixin:
    """The technician dropdown offers active technicians only (as the portal's forms do)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.active_technicians()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VisitAdminForm(WallClockTimesMixin, forms.ModelForm):
    class Meta:
        model = CleaningSchedule
        fields = ["site", "assigned_to", "service_date", "start_time", "end_time", "notes"]
        field_classes = {"service_date": BusinessDateField}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        day = cleaned.get("service_date")
        if day and self.instance.pk:
            # The series is read-only here, so Django's own unique check skips the "once per
            # series and day" constraint: without this, the database refuses it with a 500.
            try:
                services.visit_check_series_date(visit=self.instance, service_date=day)
            except forms.ValidationError as error:
                self.add_error(None, error)
        status = self.instance.status if self.instance.pk else VisitStatus.SCHEDULED
        if start and end and day and status != VisitStatus.CANCELLED:
            # Admin's change form runs in one transaction, so the lock taken here holds until
            # the visit is saved.
            try:
                services.visit_check_slot(
                    technician=cleaned.get("assigned_to"),
                    service_date=day,
                    start_time=start,
                    end_time=end,
                    exclude_pks=[self.instance.pk] if self.instance.pk else [],
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class StatusChangeInline(ScopedTabularInline):
    model = VisitStatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return VisitStatusChange.objects.select_related("changed_by").filter(
            visit__in=CleaningSchedule.objects.for_user(request.user)
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CleaningSchedule)
class CleaningScheduleAdmin(TechnicianChoicesMixin, ScopedModelAdmin):
    form = VisitAdminForm
    list_display = ("service_date", "start_time", "end_time", "site", "assigned_to", "status")
    list_filter = ("status", "frequency", "service_date")
    search_fields = ("site__site_code", "site__site_name", "assigned_to__full_name", "notes")
    autocomplete_fields = ("site",)
    date_hierarchy = "service_date"
    list_select_related = ("site", "assigned_to")
    raw_id_fields = ("series",)
    readonly_fields = (
        "status",
        "frequency",
        "series",
        "started_at",
        "completed_at",
        "status_changed_at",
        "status_changed_by",
        "created_by",
    )
    inlines = [StatusChangeInline]

    def save_model(self, request, obj, form, change):
        services.visit_save(
            visit=obj, by=request.user, fields=form.changed_data if change else None
        )

    def delete_model(self, request, obj):
        services.visits_delete(CleaningSchedule.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.visits_delete(queryset)


class SeriesAdminForm(WallClockTimesMixin, forms.ModelForm):
    """Adding a series here plans it as the portal does: the rule must produce visits and must
    not double-book the technician (checked under the lock, in admin's transaction)."""

    date_field = "first_date"
    skip_dates = SkipDatesField()

    class Meta:
        model = VisitSeries
        fields = [
            "site",
            "assigned_to",
            "frequency",
            "first_date",
            "until",
            "start_time",
            "end_time",
            "skip_dates",
            "notes",
            "active",
        ]
        field_classes = {"first_date": BusinessDateField, "until": BusinessDateField}

    def clean_skip_dates(self):
        return [day.isoformat() for day in self.cleaned_data["skip_dates"]]

    def clean(self):
        cleaned = super().clean()
        rule = ("frequency", "first_date", "start_time", "end_time")
        if self.instance.pk or any(cleaned.get(name) is None for name in rule):
            return cleaned
        candidate = VisitSeries(**{name: cleaned.get(name) for name in self.Meta.fields})
        try:
            services.visit_check_not_in_past(day=candidate.first_date, field="first_date")
            services.series_check(series=candidate)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(VisitSeries)
class VisitSeriesAdmin(TechnicianChoicesMixin, ScopedModelAdmin):
    """A series' rule is fixed once planned (change "this and following" in the portal, which
    re-plans the visits); here a series can be added, annotated and switched off (an inactive
    series is no longer rolled forward)."""

    form = SeriesAdminForm
    list_display = ("site", "frequency", "first_date", "until", "assigned_to", "active")
    list_filter = ("frequency", "active")
    search_fields = ("site__site_code", "site__site_name")
    list_select_related = ("site", "assigned_to")
    autocomplete_fields = ("site",)
    rule_fields = (
        "site",
        "assigned_to",
        "frequency",
        "first_date",
        "until",
        "start_time",
        "end_time",
        "skip_dates",
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("materialised_until", "created_by")
        return (*self.rule_fields, "materialised_until", "created_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.series_extend(series=obj)


class UpcomingVisitInline(ScopedTabularInline):
    """The site's visits from a week ago on (a busy site has thousands in its history).

    Read-only: visits are changed on their own page, where double-booking is checked.
    """

    model = CleaningSchedule
    fields = ("service_date", "start_time", "end_time", "assigned_to", "status")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("Visits (from last week on)")

    def get_queryset(self, request):
        since = timezone.localdate() - dt.timedelta(days=7)
        return (
            super()
            .get_queryset(request)
            .filter(service_date__gte=since)
            # The change link's title is the visit's str(), which names the site.
            .select_related("site", "assigned_to")
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ScopedModelAdmin):
    """Who has a calendar link; revoke one for a lost phone. The token itself is not shown."""

    list_display = ("user", "created_at", "revoked_at")
    list_select_related = ("user",)
    fields = ("user", "created_at", "revoked_at")
    readonly_fields = ("user", "created_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected calendar links"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
