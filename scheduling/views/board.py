"""The dispatch board: a week of visits by technician (or by site), for planners."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.views.generic import TemplateView

from janitorial_crm.live_pages import LiveRegionsMixin
from janitorial_crm.mixins import PortalPermissionMixin
from scheduling.board import BY_SITE, BY_TECHNICIAN, build_rows, parse_week
from scheduling.filters import BoardFilter
from scheduling.models import CleaningSchedule
from scheduling.rows import board_body

User = get_user_model()
ROWS_PER_PAGE = 20


class BoardView(LiveRegionsMixin, PortalPermissionMixin, TemplateView):
    """Week grid with status colours; unassigned and missed visits stand out. Filters: site,
    technician (`assigned_to`), status; `week` (any date in it) and `view` (technician|site).
    Rows are paginated (ROWS_PER_PAGE). Three queries whatever the number of visits: the
    technicians, the rows that have visits, and the page's visits.

    Live: the grid (#board-live) redraws itself on visit events, through this view."""

    permission_required = ("scheduling.manage_visits", "scheduling.view_cleaningschedule")
    template_name = "scheduling/board.html"
    live_types = ("visit",)
    live_regions = {"board-live": "scheduling/includes/_board_live.html"}

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
        form = board_filter.form
        chosen = form.cleaned_data.get("assigned_to") if form.is_valid() else None
        site = form.cleaned_data.get("site") if form.is_valid() else None
        technicians = []
        if mode == BY_TECHNICIAN:
            technicians = [chosen] if chosen else list(User.objects.active_technicians())

        # Rows are paginated before any visit is loaded: one small GROUP BY names the rows
        # that have visits (and counts the week), then only the page's rows' visits are
        # fetched and rendered. A whole company's week is ~1,000 visits and 1 MB of HTML.
        keys, visit_count = _row_keys(board_filter.qs, mode, technicians, site)
        page = Paginator(keys, ROWS_PER_PAGE).get_page(params.get("page"))
        visits = list(_visits_of_rows(board_filter.qs, mode, page.object_list))
        on_page = set(page.object_list)
        if mode == BY_TECHNICIAN:
            technicians = [person for person in technicians if person.pk in on_page]
        elif site is not None and site.pk not in on_page:
            site = None

        rows = build_rows(visits=visits, days=days, mode=mode, technicians=technicians, site=site)
        board_url = self.request.get_full_path()
        context.update(
            filter=board_filter,
            days=days,
            today=today,
            week=monday,
            previous_week=monday - dt.timedelta(days=7),
            next_week=monday + dt.timedelta(days=7),
            mode=mode,
            modes={"technician": BY_TECHNICIAN, "site": BY_SITE},
            rows=rows,
            board_body=board_body(
                rows=rows, days=days, today=today, mode=mode, board_url=board_url
            ),
            visit_count=visit_count,
            page_obj=page,
            # Query strings for the week navigation, the view toggle and the row pages, other
            # filters kept (the view toggle starts again at the first page: other rows).
            week_query=_without(params, "week"),
            view_query=_without(params, "view", "page"),
            page_query=_without(params, "page"),
            board_url=board_url,
        )
        return context


def _row_keys(visits, mode, technicians, site):
    """The board's row keys in display order, and the number of visits in the week.

    By technician: None ("Unassigned") first when there are unassigned visits, every listed
    technician (free ones too), then anyone else holding a visit that week. By site: the
    sites with visits that week (or the filtered site), by site code.
    """
    if mode == BY_SITE:
        counts = visits.values_list("site_id", "site__site_code").annotate(n=Count("pk"))
        rows = sorted(counts.order_by(), key=lambda row: row[1])
        keys = [site_id for site_id, _code, _n in rows]
        if site is not None and site.pk not in keys:
            keys.insert(0, site.pk)
        return keys, sum(n for _id, _code, n in rows)
    counts = dict(visits.values_list("assigned_to_id").annotate(n=Count("pk")).order_by())
    listed = [person.pk for person in technicians]
    others = sorted(set(counts) - set(listed) - {None})
    keys = ([None] if None in counts else []) + listed + others
    return keys, sum(counts.values())


def _visits_of_rows(visits, mode, keys):
    if mode == BY_SITE:
        return visits.filter(site_id__in=keys)
    people = [key for key in keys if key is not None]
    rows = Q(assigned_to_id__in=people)
    if None in keys:
        rows |= Q(assigned_to__isnull=True)
    return visits.filter(rows)


def _without(params, *names):
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()
