"""The portal pages of webhooks: list, register (secret shown once), edit, pause and resume,
delete, and one endpoint's delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, ListView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import services
from api.webhooks.forms import WebhookEndpointForm
from janitorial_crm.mixins import PortalPermissionMixin, ScopedQuerysetMixin

PERMISSION = "api.manage_webhooks"


class WebhookEndpointMixin(ScopedQuerysetMixin, PortalPermissionMixin):
    model = WebhookEndpoint
    permission_required = PERMISSION


class WebhookEndpointListView(WebhookEndpointMixin, ListView):
    paginate_by = 25
    context_object_name = "endpoints"

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


class WebhookEndpointFormMixin(WebhookEndpointMixin):
    form_class = WebhookEndpointForm

    def form_valid(self, form):
        try:
            self.object = self.save(form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.form_invalid(form)
        return self.saved()


class WebhookEndpointCreateView(WebhookEndpointFormMixin, CreateView):
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


class WebhookEndpointUpdateView(WebhookEndpointFormMixin, UpdateView):
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


class WebhookEndpointDetailView(WebhookEndpointMixin, SingleObjectMixin, ListView):
    """One endpoint and its delivery log, newest first."""

    template_name = "api/webhookendpoint_detail.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(self.get_scoped_queryset().select_related("owner"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return WebhookDelivery.objects.for_user(self.request.user).filter(endpoint=self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliveries"] = context["object_list"]
        context["endpoint"] = self.object
        return context


class WebhookEndpointActionView(WebhookEndpointMixin, View):
    """A POST-only action on one endpoint, answered with a redirect to its page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        endpoint = get_object_or_404(self.get_scoped_queryset(), pk=pk)
        self.act(endpoint)
        return redirect(endpoint)


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


class WebhookEndpointDeleteView(WebhookEndpointMixin, DeleteView):
    success_url = reverse_lazy("api:webhook_list")

    def form_valid(self, form):
        services.webhook_endpoint_delete(endpoint=self.object)
        messages.success(self.request, _("Webhook “%(name)s” deleted.") % {"name": self.object})
        return redirect(self.success_url)
