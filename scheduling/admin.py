import datetime as dt

from django.contrib import admin
from django.utils import timezone

from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline
from scheduling.models import CleaningSchedule, VisitSeries


@admin.register(CleaningSchedule)
class CleaningScheduleAdmin(ScopedModelAdmin):
    list_display = ("service_date", "start_time", "end_time", "site", "assigned_to", "status")
    list_filter = ("status", "frequency", "service_date")
    search_fields = ("site__site_code", "site__site_name", "assigned_to__full_name", "notes")
    autocomplete_fields = ("site", "assigned_to")
    date_hierarchy = "service_date"
    list_select_related = ("site", "assigned_to")
    raw_id_fields = ("series",)
    readonly_fields = ("started_at", "completed_at", "status_changed_at", "status_changed_by")


@admin.register(VisitSeries)
class VisitSeriesAdmin(admin.ModelAdmin):
    list_display = ("site", "frequency", "first_date", "until", "assigned_to", "active")
    list_filter = ("frequency", "active")
    search_fields = ("site__site_code", "site__site_name")
    autocomplete_fields = ("site", "assigned_to")
    list_select_related = ("site", "assigned_to")


class UpcomingVisitInline(ScopedTabularInline):
    """The site's visits from a week ago on (a busy site has thousands in its history)."""

    model = CleaningSchedule
    fields = ("service_date", "start_time", "end_time", "assigned_to", "status")
    autocomplete_fields = ("assigned_to",)
    show_change_link = True
    verbose_name_plural = "Visits (from last week on)"

    def get_queryset(self, request):
        since = timezone.localdate() - dt.timedelta(days=7)
        return super().get_queryset(request).filter(service_date__gte=since)
