"""Forms for filing and editing inspections and resolving their corrective actions.

Photo fields validate each upload by content (`inspections.photos.process_photo`) during form
validation, so every refusal shows next to the field and nothing is written before the whole
form is valid. Their cleaned value is the re-encoded photo, ready for the services.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from inspections.models import SiteInspectionLog
from inspections.photos import ACCEPTED_LABEL, MAX_PHOTOS_PER_UPLOAD, process_photo
from janitorial_crm.pickers import SitePickerField
from janitorial_crm.wall_clock import REPEATED_HOUR_HELP, WallClockDateTimeField
from janitorial_crm.widgets import AutocompletePicker
from scheduling.models import CleaningSchedule
from sites.models import ClientSite

# The visit dropdown offers visits from this many days back (an inspection follows a recent
# visit); older ones would make the list unusable on a phone.
VISIT_CHOICE_DAYS = 14

CAMERA_ATTRS = {"accept": "image/*", "capture": "environment"}


# The largest primary key (BigAutoField); a longer string is not a key, whatever its digits.


class MultiplePhotoInput(forms.FileInput):
    """A file input that lets the phone send several photos at once."""

    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """One optional photo; cleans to a ProcessedPhoto (or None)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.FileInput(attrs=dict(CAMERA_ATTRS)))
        # Our own message for an empty file names the file; see process_photo.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean_one(self, upload):
        return process_photo(self.to_python(upload))

    def clean(self, data, initial=None):
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        return self.clean_one(data)


class PhotosField(PhotoField):
    """Zero or more photos; cleans to a list of ProcessedPhoto. Every bad file is reported."""

    def __init__(self, *, max_photos=MAX_PHOTOS_PER_UPLOAD, **kwargs):
        self.max_photos = max_photos
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=dict(CAMERA_ATTRS)))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_photos:
            raise ValidationError(
                ngettext_lazy(
                    "Send at most %(max)d photo at a time.",
                    "Send at most %(max)d photos at a time.",
                    "max",
                ),
                code="too_many_photos",
                params={"max": self.max_photos},
            )
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(self.clean_one(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return processed


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, visit):
        start, end = visit.start_time, visit.end_time
        label = f"{visit.site.site_code} · {visit.service_date:%a %b %d} {start:%H:%M}–{end:%H:%M}"
        return f"{label} · {visit.assigned_to}" if visit.assigned_to else label


def visit_choices(user, *, site=None, include_pk=None):
    """Recent visits `user` may see (at `site` if given) for the visit dropdown."""
    today = timezone.localdate()
    recent = CleaningSchedule.objects.for_user(user).filter(
        service_date__gte=today - dt.timedelta(days=VISIT_CHOICE_DAYS),
        service_date__lte=today + dt.timedelta(days=1),
    )
    if include_pk:
        # An edited inspection keeps its (possibly older) visit selectable.
        recent = recent | CleaningSchedule.objects.for_user(user).filter(pk=include_pk)
    if site is not None:
        recent = recent.filter(site=site)
    return recent.select_related("site", "assigned_to").order_by(
        "-service_date", "-start_time", "site__site_code"
    )


class InspectionForm(forms.ModelForm):
    """File or edit an inspection. The inspector, the resolution fields and the photos' owner
    are not fields: the server sets them."""

    score = forms.IntegerField(
        label=_("Score (0–100)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "score-input", "inputmode": "numeric", "step": 1}),
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=format_lazy(
            _("Take or choose one or more photos ({formats})."), formats=ACCEPTED_LABEL
        ),
    )

    class Meta:
        model = SiteInspectionLog
        fields = [
            "site",
            "schedule",
            "inspection_date",
            "score",
            "findings",
            "corrective_actions",
            "internal_notes",
        ]
        field_classes = {
            "site": SitePickerField,
            "schedule": VisitChoiceField,
            "inspection_date": WallClockDateTimeField,
        }
        widgets = {
            "site": AutocompletePicker("pickers:sites"),
            "inspection_date": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "corrective_actions": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "inspection_date": REPEATED_HOUR_HELP,
            "corrective_actions": _(
                "What must be fixed. Leave empty if nothing: filled in, it stays open until a "
                "coordinator marks it resolved."
            ),
            "internal_notes": _("For staff only. Never shown to clients."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        date_field = self.fields["inspection_date"]
        date_field.show_hidden_initial = False  # the model default is callable; nothing to diff
        if not self.instance.pk:
            date_field.initial = timezone.now().replace(second=0, microsecond=0)
        site_field = self.fields["site"]
        sites = ClientSite.objects.for_user(user).order_by("site_code")
        site_field.queryset = sites.only("pk", "site_code", "site_name")
        site_field.empty_label = _("Choose the site")
        # With JavaScript, picking a site narrows the visit list (htmx); without, the server
        # still refuses a visit at another site in clean().
        site_field.widget.attrs.update(
            {
                "hx-get": reverse_lazy("inspections:visit_options"),
                "hx-target": "#id_schedule",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )
        visit_field = self.fields["schedule"]
        visit_field.empty_label = _("No particular visit")
        visit_field.queryset = visit_choices(
            user,
            # Unbound (first display): only the chosen site's visits. Bound: every visit in
            # scope, so that a mismatch gets the clear message below, not "invalid choice".
            site=None if self.is_bound else self._initial_site(),
            include_pk=self.instance.schedule_id,
        )

    def _initial_site(self):
        site = self.initial.get("site") or self.instance.site_id
        if site is None:
            return None
        pk = getattr(site, "pk", site)
        return self.fields["site"].queryset.filter(pk=pk).first()

    def clean(self):
        cleaned = super().clean()
        site, visit = cleaned.get("site"), cleaned.get("schedule")
        if site and visit and visit.site_id != site.pk:
            self.add_error(
                "schedule",
                ValidationError(
                    _("That visit was at %(visit_site)s, not at %(site)s. Pick one at this site."),
                    code="visit_site_mismatch",
                    params={"visit_site": visit.site.site_code, "site": site.site_code},
                ),
            )
        return cleaned


class ResolveForm(forms.Form):
    """Close the corrective actions of an inspection: what was done, and optionally a photo."""

    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    photo = PhotoField(
        label=_("“After” photo (optional)"),
        help_text=format_lazy(
            _("A photo of the fixed problem ({formats})."), formats=ACCEPTED_LABEL
        ),
    )
