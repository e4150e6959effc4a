"""The technician's phone pages: "My day" and the POST-only start / complete / note actions.

Each action answers htmx with the visit's card re-rendered in place, and a plain form post
with a redirect back (to `next`, "My day" by default), so the page works without JavaScript.
"""

import datetime as dt

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import TemplateView

from janitorial_crm.live_pages import LiveRegionsMixin
from janitorial_crm.mixins import PortalPermissionMixin
from janitorial_crm.redirects import redirect_next
from scheduling import permissions, services
from scheduling.forms import VisitNoteForm
from scheduling.models import CleaningSchedule, VisitStatus
from scheduling.views.common import VisitActionView, error_text

CARD = "scheduling/includes/_my_day_visit.html"


def agenda(user, now):
    """[(label, day, visits)] for yesterday (only visits still running), today and tomorrow.

    What counts as still running is CleaningSchedule.objects.current_work (the dashboard asks
    it too): an overnight visit belongs to the day it starts, and after midnight it is listed
    under "Still running from yesterday" until it ends, so a technician at 01:00 sees the
    visit they are on.
    """
    today = timezone.localdate(now)
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    visits = (
        CleaningSchedule.objects.for_user(user)
        .filter(assigned_to=user)
        .current_work(now, days_ahead=1)
        .select_related("site")
        .order_by("service_date", "start_time", "pk")
    )
    by_day = {yesterday: [], today: [], tomorrow: []}
    for visit in visits:
        by_day[visit.service_date].append(visit)
    days = [
        (_("Still running from yesterday"), yesterday),
        (_("Today"), today),
        (_("Tomorrow"), tomorrow),
    ]
    return [(label, day, by_day[day]) for label, day in days if by_day[day] or day != yesterday]


def card_context(user, visit):
    return {
        "visit": visit,
        "can_start": visit.status == VisitStatus.SCHEDULED
        and permissions.can_transition(user, visit, VisitStatus.IN_PROGRESS),
        "can_complete": visit.status == VisitStatus.IN_PROGRESS
        and permissions.can_transition(user, visit, VisitStatus.COMPLETED),
        "can_note": permissions.can_add_note(user, visit),
        "note_form": VisitNoteForm(),
        "next": reverse("scheduling:my_day"),
    }


class MyDayView(LiveRegionsMixin, PortalPermissionMixin, TemplateView):
    """Today's and tomorrow's visits of the logged-in technician, phone first.

    Live: the list (#my-day-live) redraws itself on visit events, through this view; see its
    template for why it waits while a note is being typed."""

    permission_required = "scheduling.change_visit_status"
    template_name = "scheduling/my_day.html"
    live_types = ("visit",)
    live_regions = {"my-day-live": "scheduling/includes/_my_day_live.html"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        days = [
            (label, day, [card_context(user, visit) for visit in visits])
            for label, day, visits in agenda(user, timezone.now())
        ]
        context.update(days=days, now=timezone.now())
        return context


class _FieldActionView(VisitActionView):
    permission_required = "scheduling.change_visit_status"

    def respond(self, visit, *, level, message, note_form=None):
        """htmx: the card, re-rendered with the message in it; otherwise message + redirect."""
        if self.request.htmx:
            context = card_context(self.request.user, visit)
            context["flash"] = {"level": level, "text": message}
            if note_form is not None:
                context["note_form"] = note_form
            return render(self.request, CARD, context)
        messages.add_message(self.request, level, message)
        return redirect_next(self.request, reverse("scheduling:my_day"))


class _TransitionView(_FieldActionView):
    """Move the visit to `target`. Only the status (and its timestamps and author) change,
    whatever else the POST carries."""

    target = None
    done_message = None

    def has_object_permission(self, visit):
        return permissions.can_transition(self.request.user, visit, self.target)

    def post(self, request, pk):
        visit = self.object
        try:
            services.visit_transition(visit=visit, to_status=self.target, by=request.user)
        except services.StatusChangeRefused as error:
            return self.respond(visit, level=messages.INFO, message=error_text(error))
        return self.respond(visit, level=messages.SUCCESS, message=self.done_message)


class VisitStartView(_TransitionView):
    target = VisitStatus.IN_PROGRESS
    done_message = _lazy("Visit started.")


class VisitCompleteView(_TransitionView):
    target = VisitStatus.COMPLETED
    done_message = _lazy("Visit completed.")


class VisitNoteView(_FieldActionView):
    """Add a note to the visit; only the notes change."""

    object_permission = permissions.can_add_note

    def post(self, request, pk):
        visit = self.object
        form = VisitNoteForm(request.POST)
        if not form.is_valid():
            text = " ".join(form.errors.get("note", [])) or _("The note is not valid.")
            return self.respond(visit, level=messages.ERROR, message=text, note_form=form)
        services.visit_add_note(visit=visit, by=request.user, text=form.cleaned_data["note"])
        return self.respond(visit, level=messages.SUCCESS, message=_("Note added."))
