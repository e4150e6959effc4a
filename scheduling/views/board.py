"""The dispatch board: a week of visits by technician (or by site), for planners."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.views.generic import TemplateView

from janitorial_crm.mixins import PortalPermissionMixin
from scheduling.board import BY_SITE, BY_TECHNICIAN, build_rows, parse_week
from scheduling.filters import BoardFilter
from scheduling.models import CleaningSchedule

User = get_user_model()


class BoardView(PortalPermissionMixin, TemplateView):
    """Week grid with status colours; unassigned and missed visits stand out. Filters: site,
    technician (`assigned_to`), status; `week` (any date in it) and `view` (technician|site).
    Two queries whatever the number of visits: the week's visits and the technicians."""

    permission_required = ("scheduling.manage_visits", "scheduling.view_cleaningschedule")
    template_name = "scheduling/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        today = timezone.localdate()
        monday = parse_week(params.get("week"), today)
        days = [monday + dt.timedelta(days=offset) for offset in range(7)]
        mode = BY_SITE if params.get("view") == BY_SITE else BY_TECHNICIAN

        week = (
            CleaningSchedule.objects.for_user(user)
            .between(days[0], days[-1])
            .with_related()
            .order_by()
        )
        board_filter = BoardFilter(params, queryset=week, request=self.request)
        visits = list(board_filter.qs)

        technicians = []
        form = board_filter.form
        chosen = form.cleaned_data.get("assigned_to") if form.is_valid() else None
        site = form.cleaned_data.get("site") if form.is_valid() else None
        if mode == BY_TECHNICIAN:
            technicians = [chosen] if chosen else list(User.objects.active_technicians())

        context.update(
            filter=board_filter,
            days=days,
            today=today,
            week=monday,
            previous_week=monday - dt.timedelta(days=7),
            next_week=monday + dt.timedelta(days=7),
            mode=mode,
            modes={"technician": BY_TECHNICIAN, "site": BY_SITE},
            rows=build_rows(
                visits=visits, days=days, mode=mode, technicians=technicians, site=site
            ),
            visit_count=len(visits),
            # Query strings for the week navigation and the view toggle, other filters kept.
            week_query=_without(params, "week"),
            view_query=_without(params, "view"),
            board_url=self.request.get_full_path(),
        )
        return context


def _without(params, name):
    kept = params.copy()
    kept.pop(name, None)
    return kept.urlencode()
