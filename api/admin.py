"""Webhooks in Django admin, on the same scoping as the portal (`for_user`).

A new endpoint gets its owner (the admin user) and a secret from the server; the secret is shown
once, on the page that answers the creation, and never again (it is not a field of any form).
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.webhooks import services, signing
from api.webhooks.forms import WebhookEndpointForm
from janitorial_crm.admin_mixins import ScopedModelAdmin


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "owner", "paused_at", "pause_reason", "consecutive_failures")
    list_filter = ("pause_reason",)
    search_fields = ("name", "url")
    list_select_related = ("owner",)
    readonly_fields = ("owner", "paused_at", "pause_reason", "consecutive_failures")
    actions = ["pause", "resume"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
            obj.secret = signing.new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # Shown in this answer only (no message in the session): never again.
        return TemplateResponse(
            request,
            "admin/api/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "endpoint": obj,
                "new_secret": obj.secret,
                "title": _("Webhook registered"),
            },
        )

    @admin.action(description=_("Pause the selected webhooks"), permissions=["change"])
    def pause(self, request, queryset):
        for endpoint in queryset:
            services.webhook_endpoint_pause(endpoint=endpoint)
        self.message_user(request, _("Paused."), messages.SUCCESS)

    @admin.action(description=_("Resume the selected webhooks"), permissions=["change"])
    def resume(self, request, queryset):
        for endpoint in queryset:
            services.webhook_endpoint_resume(endpoint=endpoint)
        self.message_user(request, _("Resumed."), messages.SUCCESS)


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "attempted_at", "status_code", "response_excerpt", "error")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = (
        "kind",
        "endpoint",
        "occurred_at",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    )
    list_filter = ("status", "kind")
    list_select_related = ("endpoint",)
    search_fields = ("event_id", "endpoint__name")
    inlines = [WebhookAttemptInline]
