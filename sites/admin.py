from django.contrib import admin

from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline
from sites import services
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

    def save_model(self, request, obj, form, change):
        if change:
            services.site_update(site=obj)
        else:
            services.site_create(site=obj)

    def delete_model(self, request, obj):
        # Admin's confirmation page already lists the history that protects a site.
        services.site_delete(site=obj)

    def delete_queryset(self, request, queryset):
        for site in queryset:
            services.site_delete(site=site)


@admin.register(SiteMembership)
class SiteMembershipAdmin(MemberChoicesMixin, ScopedModelAdmin):
    list_display = ("site", "user", "can_see_inspections")
    list_filter = ("can_see_inspections",)
    search_fields = ("site__site_code", "site__site_name", "user__username", "user__full_name")
    autocomplete_fields = ("site", "user")
    list_select_related = ("site", "user")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # one row, validated by the form
        else:
            services.membership_add(membership=obj)

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_remove(membership=membership)
