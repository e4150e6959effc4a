"""The portal page where a user creates, names and revokes their personal API tokens."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from api import services
from api.models import ApiToken
from janitorial_crm.mixins import ScopedActionView
from janitorial_crm.wall_clock import WallClockDateTimeField

MAX_TOKENS_PER_USER = 20


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Payroll export”."),
    )
    expires_at = WallClockDateTimeField(
        label=_("Expires (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty for a token that works until you revoke it."),
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value and value <= timezone.now():
            raise forms.ValidationError(_("Pick a moment in the future."), code="past")
        return value


class ApiTokenListView(FormView):
    """List my tokens and create one; the new token is shown once, right after creating it."""

    template_name = "api/apitoken_list.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = ApiToken.objects.for_user(self.request.user)[:MAX_TOKENS_PER_USER]
        return context

    def form_valid(self, form):
        if ApiToken.objects.for_user(self.request.user).usable().count() >= MAX_TOKENS_PER_USER:
            form.add_error(None, _("Revoke a token you no longer use first."))
            return self.form_invalid(form)
        token, raw = services.api_token_create(
            user=self.request.user,
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expires_at"],
        )
        # Shown once, in this answer only: nothing but its digest is kept.
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), new_token=raw, new_token_name=token.name)
        )


class ApiTokenRevokeView(ScopedActionView):
    """Revoke one of my tokens (anyone else's is a 404: tokens are scoped to their owner)."""

    model = ApiToken
    permission_required = ()  # every signed-in user manages their own tokens

    def post(self, request, pk):
        token = self.object
        services.api_token_revoke(token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api:token_list")
