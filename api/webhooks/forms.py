from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import WebhookEndpoint
from api.webhooks.services import WEBHOOK_KINDS, webhook_url_check


class WebhookEndpointForm(forms.ModelForm):
    """Name, URL and events of an endpoint (portal and admin). The URL is checked against the
    address policy here too, so that a refusal shows next to the field."""

    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An https:// address on the public internet that answers a POST with 2xx. "
            "Redirects are not followed."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WEBHOOK_KINDS,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events"]
        help_texts = {"name": _("What receives the events, e.g. “Facility system”.")}

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url)
        except forms.ValidationError as refused:
            raise forms.ValidationError(refused.message_dict["url"]) from None
        return url
