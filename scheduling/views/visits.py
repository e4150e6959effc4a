"""Planning: the visit list and page, planning visits and series, changing and cancelling them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_htmx.http import HttpResponseClientRefresh

from janitorial_crm.mixins import (
    PortalPermissionMixin,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedUpdateView,
)
from janitorial_crm.redirects import next_url
from scheduling import permissions, services
from scheduling.filters import VisitFilter
from scheduling.forms import (
    SeriesEditForm,
    VisitEditForm,
    VisitMoveForm,
    VisitNoteForm,
    VisitPlanForm,
    VisitStatusForm,
)
from scheduling.models import (
    STATUS_TRANSITIONS,
    CleaningSchedule,
    Frequency,
    VisitStatus,
    VisitStatusChange,
)
from scheduling.rows import visit_rows
from scheduling.views.common import VisitActionView, error_text

MANAGE = ("scheduling.manage_visits",)


class VisitListView(ScopedListView):
    model = CleaningSchedule
    permission_required = "scheduling.view_cleaningschedule"
    filterset_class = VisitFilter
    template_name = "scheduling/cleaningschedule_list.html"

    # The columns the rows show (the template reads nothing else of a visit).
    list_columns = (
        "service_date",
        "start_time",
        "end_time",
        "status",
        "site__site_code",
        "site__site_name",
        "assigned_to__full_name",
        "assigned_to__username",
    )

    def get_queryset(self):
        return super().get_queryset().with_related().only(*self.list_columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["can_plan"] = permissions.can_plan(self.request.user)
        context["rows"] = visit_rows(context["object_list"])
        return context


class VisitDetailView(ScopedDetailView):
    """One visit: the plan, the site's instructions, the status history and what the user may
    do next (start/complete/note for its technician, corrections for a planner)."""

    model = CleaningSchedule
    permission_required = "scheduling.view_cleaningschedule"

    def get_queryset(self):
        history = VisitStatusChange.objects.select_related("changed_by")
        return (
            super()
            .get_queryset()
            .select_related("site", "assigned_to", "series", "status_changed_by", "created_by")
            .prefetch_related(Prefetch("status_changes", queryset=history))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, visit = self.request.user, self.object
        corrections = [
            VisitStatus(to)
            for (frm, to), planners_only in STATUS_TRANSITIONS.items()
            if frm == visit.status
            and planners_only
            and to != VisitStatus.CANCELLED
            and permissions.can_transition(user, visit, to)
        ]
        context.update(
            can_edit=permissions.can_edit(user, visit),
            can_cancel=permissions.can_cancel(user, visit),
            can_start=visit.status == VisitStatus.SCHEDULED
            and permissions.can_transition(user, visit, VisitStatus.IN_PROGRESS),
            can_complete=visit.status == VisitStatus.IN_PROGRESS
            and permissions.can_transition(user, visit, VisitStatus.COMPLETED),
            can_note=permissions.can_add_note(user, visit),
            corrections=corrections,
            note_form=VisitNoteForm(),
        )
        return context


class VisitCreateView(PortalPermissionMixin, FormView):
    """Plan a one-off visit or a recurring series. The board's "+" links prefill site,
    technician and date through the query string."""

    permission_required = (*MANAGE, "scheduling.add_cleaningschedule")
    form_class = VisitPlanForm
    template_name = "scheduling/visit_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        params = self.request.GET
        return {
            "site": params.get("site"),
            "assigned_to": params.get("assigned_to"),
            "first_date": params.get("date") or timezone.localdate(),
            "frequency": Frequency.ONCE,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        common = {
            "site": data["site"],
            "assigned_to": data["assigned_to"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "notes": data["notes"],
            "by": self.request.user,
        }
        try:
            if data["frequency"] == Frequency.ONCE:
                visit = services.visit_create(service_date=data["first_date"], **common)
            else:
                series = services.series_create(
                    frequency=data["frequency"],
                    first_date=data["first_date"],
                    until=data["until"],
                    skip_dates=data["skip_dates"],
                    **common,
                )
        except ValidationError as error:
            form.add_error(None, _on_plan_form(error))
            return self.form_invalid(form)
        if data["frequency"] == Frequency.ONCE:
            messages.success(self.request, _("Visit planned."))
            return redirect(visit)
        count = series.visits.count()
        messages.success(
            self.request,
            _(
                "Series planned: %(count)d visits up to %(date)s; more are added as time goes "
                "on. Checked for double-booking up to %(checked)s; a later clash is left "
                "unassigned on the board."
            )
            % {
                "count": count,
                "date": series.materialised_until or series.first_date,
                "checked": services.series_checked_until(series),
            },
        )
        return redirect(f"{reverse('scheduling:board')}?week={data['first_date'].isoformat()}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Plan a visit"),
            submit_label=_("Plan"),
            cancel_url=reverse("scheduling:visit_list"),
        )
        return context


def _on_plan_form(error):
    """The plan form calls a one-off visit's date `first_date` (the services: `service_date`)."""
    fields = getattr(error, "error_dict", None)
    if not fields or "service_date" not in fields:
        return error
    fields = dict(fields)
    fields["first_date"] = fields.pop("service_date")
    return ValidationError(fields)


class _VisitChangeView(ScopedUpdateView):
    """Change one visit's plan through services.visit_update (double-booking checked there)."""

    model = CleaningSchedule
    permission_required = (*MANAGE, "scheduling.change_cleaningschedule")
    object_permission = permissions.can_edit

    def get_queryset(self):
        return super().get_queryset().select_related("site", "assigned_to", "series")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def apply(self, form):
        data = form.cleaned_data
        return services.visit_update(
            visit=self.object,
            by=self.request.user,
            assigned_to=data["assigned_to"],
            service_date=data["service_date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            notes=data.get("notes"),
        )

    def form_valid(self, form):
        try:
            self.apply(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit updated."))
        return HttpResponseRedirect(self.get_success_url())


class VisitUpdateView(_VisitChangeView):
    """Edit "this visit"."""

    form_class = VisitEditForm
    template_name = "scheduling/visit_form.html"

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=_("Change this visit"), cancel_url=self.object.get_absolute_url())
        return context


class VisitMoveView(_VisitChangeView):
    """Reassign or reschedule from the board. With htmx the form opens inside the board card
    and a successful move refreshes the board; without JS it is an ordinary page."""

    form_class = VisitMoveForm
    template_name = "scheduling/visit_move.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["scheduling/includes/_visit_move_form.html"]
        return [self.template_name]

    def get_success_url(self):
        return next_url(self.request, reverse("scheduling:board"))

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.htmx and response.status_code == 302:
            return HttpResponseClientRefresh()
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_success_url()
        return context


class SeriesUpdateView(ScopedFormView):
    """Edit "this and following" visits of a series (a new rule from this visit on)."""

    model = CleaningSchedule
    permission_required = (*MANAGE, "scheduling.change_cleaningschedule")
    object_permission = permissions.can_edit
    form_class = SeriesEditForm
    template_name = "scheduling/visit_form.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(series__isnull=False, status=VisitStatus.SCHEDULED)
            .select_related("site", "assigned_to", "series")
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, visit=self.object)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            first = services.series_update_from(
                visit=self.object,
                by=self.request.user,
                assigned_to=data["assigned_to"],
                first_date=data["first_date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                frequency=data["frequency"],
                until=data["until"],
                skip_dates=data["skip_dates"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("This and the following visits are updated."))
        if first is None:
            return redirect("scheduling:visit_list")
        return redirect(first)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Change this and the following visits"),
            cancel_url=self.object.get_absolute_url(),
        )
        return context


class VisitCancelView(VisitActionView):
    """Cancel "this visit" (scope=this) or "this and following" (scope=following)."""

    permission_required = MANAGE
    object_permission = permissions.can_cancel

    def post(self, request, pk):
        visit = self.object
        scope = request.POST.get("scope")
        if scope not in ("this", "following"):
            # Cancelling is only ever an explicit choice between the two buttons.
            messages.error(request, _("Choose whether to cancel this visit or the following ones."))
            return self.back(visit)
        try:
            if scope == "following" and visit.series_id:
                count = services.series_cancel_from(visit=visit, by=request.user)
                messages.success(request, _("%(count)d visits cancelled.") % {"count": count})
            else:
                services.visit_transition(
                    visit=visit, to_status=VisitStatus.CANCELLED, by=request.user
                )
                messages.success(request, _("Visit cancelled."))
        except ValidationError as error:
            messages.warning(request, error_text(error))
        return self.back(visit)


class VisitStatusView(VisitActionView):
    """A planner's correction: mark missed, reinstate, reopen (any allowed move)."""

    permission_required = MANAGE
    object_permission = permissions.can_edit

    def post(self, request, pk):
        visit = self.object
        form = VisitStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return self.back(visit)
        target = form.cleaned_data["status"]
        if not permissions.can_transition(request.user, visit, target):
            raise PermissionDenied
        try:
            services.visit_transition(visit=visit, to_status=target, by=request.user)
        except ValidationError as error:
            messages.warning(request, error_text(error))
        else:
            messages.success(
                request, _("Status set to %(status)s.") % {"status": VisitStatus(target).label}
            )
        return self.back(visit)
