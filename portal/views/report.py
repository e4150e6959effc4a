"""The monthly site report a facility manager prints or saves as PDF."""

import datetime as dt

from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from janitorial_crm.mixins import ScopedDetailView
from scheduling.models import VisitStatus
from sites import permissions
from sites.forms import ReportMonthForm
from sites.views.site_pages import BySiteCode


def _month_bounds(first_day):
    """(first day of the month, first day of the next month)."""
    next_month = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_day, next_month


class ClientSiteReportView(BySiteCode, ScopedDetailView):
    """A print-friendly month at one site: visits done and missed, and the inspections for
    those who may see them. A facility manager saves it as PDF from the browser."""

    permission_required = "sites.view_clientsite"
    template_name = "portal/sites/clientsite_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site, user = self.object, self.request.user
        form = ReportMonthForm(self.request.GET or None)
        first, next_first = _month_bounds(form.month_start())
        last = next_first - dt.timedelta(days=1)

        visits = site.visits.filter(service_date__gte=first, service_date__lte=last)
        context["visit_counts"] = visits.aggregate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=VisitStatus.COMPLETED)),
            missed=Count("pk", filter=Q(status=VisitStatus.MISSED)),
            cancelled=Count("pk", filter=Q(status=VisitStatus.CANCELLED)),
        )
        # Dates, time windows and outcome only: no notes, no technician (client-facing).
        # (`site` stays loaded: the reverse manager attaches the known site to every row.)
        context["visits"] = visits.order_by("service_date", "start_time").only(
            "site", "service_date", "start_time", "end_time", "status"
        )

        can_see_inspections = permissions.can_see_inspections(user, site)
        if can_see_inspections:
            zone = timezone.get_current_timezone()
            start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
            end = dt.datetime.combine(next_first, dt.time.min, tzinfo=zone)
            inspections = site.inspections.filter(
                inspection_date__gte=start, inspection_date__lt=end
            )
            context["inspection_summary"] = inspections.aggregate(
                count=Count("pk"), average=Avg("score"), lowest=Min("score"), highest=Max("score")
            )
            context["inspections"] = inspections.order_by("inspection_date").only(
                "site", "inspection_date", "score", "findings", "corrective_actions", "resolved_at"
            )

        context.update(
            form=form,
            month=first,
            month_last_day=last,
            previous_month=(first - dt.timedelta(days=1)).replace(day=1),
            next_month=next_first,
            can_see_inspections=can_see_inspections,
            can_see_internals=permissions.can_see_internals(user, site),
            generated_at=timezone.localtime(),
        )
        return context
