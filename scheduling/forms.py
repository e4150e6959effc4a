"""Forms validate and normalise; the writes happen in scheduling.services.

Every date field is a BusinessDateField (janitorial_crm.validators.validate_business_date): a
date in year 1 or 9999 is a message next to the field, and never reaches the date arithmetic of
planning (where it overflowed).
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from janitorial_crm.pickers import PersonPickerField, SitePickerField
from janitorial_crm.validators import validate_business_date
from janitorial_crm.wall_clock import check_wall_clock
from janitorial_crm.widgets import AutocompletePicker
from scheduling.models import CleaningSchedule, Frequency, VisitStatus
from sites.models import ClientSite

User = get_user_model()

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_MAX_SKIP_DATES = 366


class BusinessDateField(forms.DateField):
    """A date in the range a cleaning company plans with (2000..2100). Validated by the form
    field itself, so the form's clean() and the services never see a date outside it."""

    default_validators = [validate_business_date]


def technician_choices(user, current=None):
    """Active technicians (plus the current assignee, so an edit never silently drops them)."""
    people = User.objects.active_technicians()
    if current is None:
        return people
    return User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=current.pk))


class SkipDatesField(forms.CharField):
    """Dates, one per line or separated by commas (YYYY-MM-DD), normalised to a sorted list."""

    widget = forms.Textarea(attrs={"rows": 2, "placeholder": "2026-12-25, 2027-01-01"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Skip dates"))
        kwargs.setdefault(
            "help_text", _("Holidays and other days without a visit: YYYY-MM-DD, comma separated.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple | set):
            return ", ".join(sorted(str(day) for day in value))
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        parts = [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
        if len(parts) > _MAX_SKIP_DATES:
            raise forms.ValidationError(_("Too many skip dates."), code="too_many")
        dates = set()
        for part in parts:
            try:
                day = dt.date.fromisoformat(part)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date (use YYYY-MM-DD)."),
                    code="invalid_date",
                    params={"value": part[:20]},
                ) from None
            try:
                validate_business_date(day)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(value)s”: %(error)s"),
                    code=error.code,
                    params={"value": part, "error": " ".join(error.messages)},
                ) from None
            dates.add(day)
        return sorted(dates)


class WallClockTimesMixin:
    """Times are the site's wall clock on the date in `date_field`: a start or end that the
    clock skips (02:30 on a spring-forward night) is refused next to its field. A repeated time
    (01:30 on a fall-back night) is the first occurrence, as the start time's help text says."""

    date_field = "service_date"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        day = cleaned.get(self.date_field)
        if day and start:
            self._check_wall_clock("start_time", day, start)
        if day and start and end and end != start:
            end_day = day + dt.timedelta(days=1 if end < start else 0)
            self._check_wall_clock("end_time", end_day, end)
        return cleaned

    def _check_wall_clock(self, name, day, time):
        try:
            check_wall_clock(day, time)
        except forms.ValidationError as error:
            self.add_error(name, error)


class VisitTimesMixin(WallClockTimesMixin):
    """end = start is refused; end before start is an overnight visit and fine."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and start == end:
            self.add_error("end_time", _("A visit cannot end at the time it starts."))
        return cleaned


class VisitPlanForm(VisitTimesMixin, forms.Form):
    """Plan a one-off visit or a recurring series."""

    date_field = "first_date"

    site = SitePickerField(
        queryset=ClientSite.objects.none(),
        label=_("Site"),
        widget=AutocompletePicker("pickers:active_sites"),
    )
    assigned_to = PersonPickerField(
        queryset=User.objects.none(),
        required=False,
        label=_("Technician"),
        empty_label=_("— unassigned —"),
        widget=AutocompletePicker("pickers:technicians"),
    )
    first_date = BusinessDateField(label=_("Date (first visit)"), widget=_DATE)
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=_TIME,
        help_text=_(
            "The site's local time. On the night the clocks go back, 01:00–01:59 is the first "
            "time round."
        ),
    )
    end_time = forms.TimeField(
        label=_("End time"),
        widget=_TIME,
        help_text=_("An end before the start means the visit ends the next morning."),
    )
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=Frequency.choices,
        initial=Frequency.ONCE,
        help_text=_(
            "Weekly rules repeat the first date's weekday. Monthly on the 29th–31st falls on "
            "the last day of shorter months."
        ),
    )
    until = BusinessDateField(
        label=_("End date"),
        required=False,
        widget=_DATE,
        help_text=_("Last day of the series; empty for no end."),
    )
    skip_dates = SkipDatesField()
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = (
            ClientSite.objects.for_user(user).active().only("pk", "site_code", "site_name")
        )
        self.fields["assigned_to"].queryset = technician_choices(user)

    def clean(self):
        # Whether the date is in the past is the planning services' rule (the view shows it
        # next to `first_date`).
        cleaned = super().clean()
        first, until = cleaned.get("first_date"), cleaned.get("until")
        if cleaned.get("frequency") == Frequency.ONCE:
            cleaned["until"], cleaned["skip_dates"] = None, []
        elif first and until and until < first:
            self.add_error("until", _("The end date is before the first date."))
        return cleaned


class VisitEditForm(VisitTimesMixin, forms.ModelForm):
    """Change one visit's plan ("this visit")."""

    class Meta:
        model = CleaningSchedule
        fields = ["assigned_to", "service_date", "start_time", "end_time", "notes"]
        field_classes = {"service_date": BusinessDateField, "assigned_to": PersonPickerField}
        widgets = {
            "assigned_to": AutocompletePicker("pickers:technicians"),
            "service_date": _DATE,
            "start_time": _TIME,
            "end_time": _TIME,
            "notes": forms.Textarea({"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = technician_choices(user, self.instance.assigned_to)
        self.fields["assigned_to"].empty_label = _("— unassigned —")


class VisitMoveForm(VisitEditForm):
    """Reassign or reschedule from the dispatch board."""

    class Meta(VisitEditForm.Meta):
        fields = ["assigned_to", "service_date", "start_time", "end_time"]


class SeriesEditForm(VisitTimesMixin, forms.Form):
    """Change "this and following" visits of a series: a new rule from this visit on."""

    date_field = "first_date"

    assigned_to = VisitPlanForm.base_fields["assigned_to"]
    first_date = BusinessDateField(
        label=_("From"),
        widget=_DATE,
        help_text=_("This visit's date, or a later one: weekly rules follow its weekday."),
    )
    start_time = VisitPlanForm.base_fields["start_time"]
    end_time = VisitPlanForm.base_fields["end_time"]
    frequency = forms.ChoiceField(
        label=_("Repeats"), choices=[c for c in Frequency.choices if c[0] != Frequency.ONCE]
    )
    until = VisitPlanForm.base_fields["until"]
    skip_dates = SkipDatesField()
    notes = VisitPlanForm.base_fields["notes"]

    def __init__(self, *args, user, visit, **kwargs):
        series = visit.series
        kwargs["initial"] = {
            "assigned_to": visit.assigned_to_id,
            "first_date": visit.service_date,
            "start_time": visit.start_time,
            "end_time": visit.end_time,
            "frequency": series.frequency,
            "until": series.until,
            "skip_dates": sorted(series.skipped),
            "notes": series.notes,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.fields["assigned_to"].queryset = technician_choices(user, visit.assigned_to)

    def clean(self):
        cleaned = super().clean()
        first, until = cleaned.get("first_date"), cleaned.get("until")
        if first and first < self.visit.service_date:
            # The visits before this one are the old rule's; the new one cannot reach back.
            self.add_error(
                "first_date", _("The new rule cannot start before the visit it changes.")
            )
        if first and until and until < first:
            self.add_error("until", _("The end date is before the first date."))
        return cleaned


class VisitNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Add a note"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2, "placeholder": _("e.g. Lobby door lock is broken")}),
    )


class VisitStatusForm(forms.Form):
    """A planner's status correction: cancel, mark missed, reinstate, reopen."""

    status = forms.ChoiceField(label=_("New status"), choices=VisitStatus.choices)
