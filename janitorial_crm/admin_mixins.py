"""Django admin on the same access layer as the portal.

Every domain ModelAdmin inherits `ScopedAdminMixin`: the changelist and every object page start
from `Model.objects.for_user(request.user)` (an object outside it is a 404, as in the portal), and
foreign-key choices are scoped through the related model's own `for_user`.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models

from janitorial_crm.wall_clock import WallClockSplitDateTimeField

# Date-time fields in admin read the wall clock as the portal does (janitorial_crm.wall_clock):
# both nights of a DST change are accepted or explained next to the field.
WALL_CLOCK_OVERRIDES = {
    models.DateTimeField: {"form_class": WallClockSplitDateTimeField, "widget": AdminSplitDateTime}
}


class ScopedAdminMixin:
    list_per_page = 50
    show_full_result_count = False
    formfield_overrides = WALL_CLOCK_OVERRIDES

    def get_queryset(self, request):
        qs = self.model.objects.for_user(request.user)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects, "for_user") and "queryset" not in kwargs:
            kwargs["queryset"] = related.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
