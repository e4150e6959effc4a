from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inspections import permissions, services
from inspections.models import InspectionPhoto, SiteInspectionLog
from janitorial_crm.admin_mixins import ScopedModelAdmin


class InspectionPhotoInline(admin.TabularInline):
    """Photos, read-only. Not deletable here either: deleting the row would leave its files
    behind. Photos go with their inspection (`services.inspection_delete` removes the files);
    the nightly `prune_orphan_photos` is only the safety net."""

    model = InspectionPhoto
    fields = ("kind", "preview", "width", "height")
    readonly_fields = ("kind", "preview", "width", "height")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Photos are uploaded through the portal, which validates and re-encodes them.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo):
        # Through the permission-checked view: MEDIA_URL is deliberately not routed.
        return format_html(
            '<a href="{}"><img src="{}" width="96" alt="{}"></a>',
            photo.get_absolute_url(),
            photo.get_thumbnail_url(),
            _("Inspection photo"),
        )


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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change(request.user, obj))

    def save_model(self, request, obj, form, change):
        services.inspection_save(log=obj)

    def delete_model(self, request, obj):
        services.inspection_delete(log=obj)

    def delete_queryset(self, request, queryset):
        for log in queryset.prefetch_related("photos"):
            services.inspection_delete(log=log)
