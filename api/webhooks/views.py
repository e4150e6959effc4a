"""The portal pages of webhooks: list, register (secret shown once), edit, pause and resume,
delete, and one endpoint's delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, ListView

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import services
from api.webhooks.forms import WebhookEndpointForm
from janitorial_crm.mixins import (
    ObjectGateMixin,
    PortalPermissionMixin,
    ScopedActionView,
    ScopedDetailView,
    ScopedQuerysetMixin,
    ScopedUpdateView,
)
from janitorial_crm.pagination import DEFAULT_PER_PAGE, PerPageMixin, per_page, per_page_context

PERMISSION = "api.manage_webhooks"


class WebhookEndpointMixin(ScopedQuerysetMixin, PortalPermissionMixin):
    """The list and the create page (no object yet)."""

    model = WebhookEndpoint
    permission_required = PERMISSION


class OneEndpoint:
    """Pages about one endpoint, behind the object gate (permission, then scope)."""

    model = WebhookEndpoint
    permission_required = PERMISSION


class WebhookEndpointListView(WebhookEndpointMixin, PerPageMixin, ListView):
    paginate_by = DEFAULT_PER_PAGE
    context_object_name = "endpoints"

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


class WebhookEndpointFormMixin:
    form_class = WebhookEndpointForm

    def form_valid(self, form):
        try:
            self.object = self.save(form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.form_invalid(form)
        return self.saved()


class WebhookEndpointCreateView(WebhookEndpointFormMixin, WebhookEndpointMixin, CreateView):
    extra_context = {"cancel_url": reverse_lazy("api:webhook_list")}

    def save(self, data):
        return services.webhook_endpoint_create(
            owner=self.request.user, name=data["name"], url=data["url"], events=data["events"]
        )

    def saved(self):
        # The secret is shown in this answer only (no redirect, no session): never again.
        endpoint = self.object
        return self.response_class(
            request=self.request,
            template="api/webhookendpoint_detail.html",
            context={"endpoint": endpoint, "deliveries": [], "new_secret": endpoint.secret},
            using=self.template_engine,
        )


class WebhookEndpointUpdateView(WebhookEndpointFormMixin, OneEndpoint, ScopedUpdateView):
    def get_context_data(self, **kwargs):
        cancel_url = reverse("api:webhook_detail", kwargs={"pk": self.kwargs["pk"]})
        return super().get_context_data(cancel_url=cancel_url, **kwargs)

    def save(self, data):
        return services.webhook_endpoint_update(
            endpoint=self.object, name=data["name"], url=data["url"], events=data["events"]
        )

    def saved(self):
        messages.success(self.request, _("Webhook “%(name)s” saved.") % {"name": self.object})
        return redirect(self.object)


class WebhookEndpointDetailView(OneEndpoint, ScopedDetailView):
    """One endpoint and its delivery log, newest first."""

    template_name = "api/webhookendpoint_detail.html"
    context_object_name = "endpoint"
    deliveries_per_page = 50

    def get_queryset(self):
        return super().get_queryset().select_related("owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = WebhookDelivery.objects.for_user(self.request.user).filter(
            endpoint=self.object
        )
        size = per_page(self.request, self.deliveries_per_page)
        page = Paginator(deliveries, size).get_page(self.request.GET.get("page"))
        context.update(deliveries=page, page_obj=page, is_paginated=page.has_other_pages())
        context.update(per_page_context(self.request, size, self.deliveries_per_page))
        context["paginator"] = page.paginator
        context["querystring"] = "" if size == self.deliveries_per_page else f"per_page={size}"
        return context


class WebhookEndpointActionView(OneEndpoint, ScopedActionView):
    """A POST-only action on one endpoint, answered with a redirect to its page."""

    def post(self, request, pk):
        self.act(self.object)
        return redirect(self.object)


class WebhookEndpointPauseView(WebhookEndpointActionView):
    def act(self, endpoint):
        services.webhook_endpoint_pause(endpoint=endpoint)
        messages.success(
            self.request,
            _("Webhook “%(name)s” paused: events are not sent until you resume it.")
            % {"name": endpoint},
        )


class WebhookEndpointResumeView(WebhookEndpointActionView):
    def act(self, endpoint):
        services.webhook_endpoint_resume(endpoint=endpoint)
        messages.success(self.request, _("Webhook “%(name)s” resumed.") % {"name": endpoint})


class WebhookEndpointDeleteView(OneEndpoint, ObjectGateMixin, DeleteView):
    success_url = reverse_lazy("api:webhook_list")

    def form_valid(self, form):
        services.webhook_endpoint_delete(endpoint=self.object)
        messages.success(self.request, _("Webhook “%(name)s” deleted.") % {"name": self.object})
        return redirect(self.success_url)
