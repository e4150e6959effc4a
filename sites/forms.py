"""Forms for client sites and their members: they validate and normalise, nothing more."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.pickers import PersonWithRolePickerField
from janitorial_crm.roles import Role
from janitorial_crm.validators import validate_business_date
from janitorial_crm.widgets import AutocompletePicker
from sites.models import ClientSite, SiteMembership, normalise_site_code

# Who can be put on a site: the staff who work it and the client users who follow it.
MEMBER_ROLES = (Role.SUPERVISOR, Role.TECHNICIAN, Role.INSPECTOR, Role.CLIENT)


def member_candidates():
    """Active users whose role can be a site member (the scoped choices of every member
    form, in the portal and in admin)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .with_role(*MEMBER_ROLES)
        .distinct()
        .order_by("full_name", "username")
    )


def active_users_with_a_role():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .with_role(*Role)
        .distinct()
        .order_by("full_name", "username")
    )


class ClientSiteForm(forms.ModelForm):
    class Meta:
        model = ClientSite
        fields = (
            "site_code",
            "site_name",
            "client_name",
            "service_level",
            "address",
            "primary_contact",
            "instructions",
            "internal_notes",
        )
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "primary_contact": AutocompletePicker("pickers:people"),
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"primary_contact": PersonWithRolePickerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_contact"].queryset = active_users_with_a_role().prefetch_related(
            "groups"
        )
        self.fields["site_code"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean_site_code(self):
        code = normalise_site_code(self.cleaned_data["site_code"])
        clash = ClientSite.objects.filter(site_code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Site code %(code)s is already used by another site."),
                code="unique",
                params={"code": code},
            )
        return code


class SiteMembershipForm(forms.ModelForm):
    """Put a staff or client user on a site. The site comes from the URL, never the form."""

    user = PersonWithRolePickerField(
        queryset=None, label=_("Person"), widget=AutocompletePicker("pickers:site_members")
    )

    class Meta:
        model = SiteMembership
        fields = ("user", "can_see_inspections")

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.instance.site = site
        self.fields["user"].queryset = (
            member_candidates().exclude(site_memberships__site=site).prefetch_related("groups")
        )
        self.fields["user"].widget.source_kwargs = {"code": site.site_code}


class MembershipGrantForm(forms.Form):
    """Set (not flip) a client's inspection grant, so a double click is harmless."""

    can_see_inspections = forms.TypedChoiceField(
        choices=[("1", _("Granted")), ("0", _("Not granted"))],
        coerce=lambda value: value == "1",
    )


class ReportMonthForm(forms.Form):
    """`?month=YYYY-MM` for the monthly site report; the current month when absent."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-11.")},
        validators=[validate_business_date],
    )

    def month_start(self):
        """The first day of the chosen month (current month if none or invalid)."""
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        return (chosen or timezone.localdate()).replace(day=1)
