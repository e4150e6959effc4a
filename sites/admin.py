from django.contrib import admin

from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline
from sites.forms import member_candidates
from sites.models import SiteMembership


class MemberChoicesMixin:
    """Only active users whose role can be a site member may be put on a site (the same
    choices as the portal's member form)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = member_candidates()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SiteMembershipInline(MemberChoicesMixin, ScopedTabularInline):
    model = SiteMembership
    autocomplete_fields = ("user",)
    fields = ("user", "can_see_inspections")


class ClientSiteAdmin(ScopedModelAdmin):
    """Registered by janitorial_crm.admin, which adds the visit and stock inlines of the other
    apps (sites imports none of them)."""

    list_display = ("site_code", "site_name", "client_name", "service_level", "active")
    list_filter = ("active", "service_level", "client_name")
    search_fields = ("site_code", "site_name", "client_name", "address")
    autocomplete_fields = ("primary_contact",)
    inlines = [SiteMembershipInline]
    fieldsets = (
        (None, {"fields": ("site_code", "site_name", "client_name", "service_level", "active")}),
        (None, {"fields": ("address", "primary_contact", "instructions", "internal_notes")}),
    )


@admin.register(SiteMembership)
class SiteMembershipAdmin(MemberChoicesMixin, ScopedModelAdmin):
    list_display = ("site", "user", "can_see_inspections")
    list_filter = ("can_see_inspections",)
    search_fields = ("site__site_code", "site__site_name", "user__username", "user__full_name")
    autocomplete_fields = ("site", "user")
    list_select_related = ("site", "user")
