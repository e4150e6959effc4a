from django.contrib import admin

from inspections.models import InspectionPhoto, SiteInspectionLog
from janitorial_crm.admin_mixins import ScopedModelAdmin


class InspectionPhotoInline(admin.TabularInline):
    model = InspectionPhoto
    fields = ("kind", "image", "thumbnail")
    readonly_fields = ("image", "thumbnail")
    extra = 0

    def has_add_permission(self, request, obj=None):
        # Photos are uploaded through the portal, which validates and re-encodes them.
        return False


@admin.register(SiteInspectionLog)
class SiteInspectionLogAdmin(ScopedModelAdmin):
    list_display = ("inspection_date", "site", "inspector", "score", "resolved_at")
    list_filter = ("inspection_date", "resolved_at")
    search_fields = ("site__site_code", "site__site_name", "findings", "corrective_actions")
    autocomplete_fields = ("site", "inspector", "resolved_by")
    raw_id_fields = ("schedule",)
    date_hierarchy = "inspection_date"
    list_select_related = ("site", "inspector")
    inlines = [InspectionPhotoInline]
