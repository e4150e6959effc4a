"""What each role's dashboard shows. Every figure is scoped through the for_user() layer and
links to the filtered list behind it (the list pages' query parameters are a contract)."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone

from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from janitorial_crm.wall_clock import days_before
from portal.site_queries import not_inspected_within, with_last_inspection
from scheduling.models import CleaningSchedule, VisitStatus
from sites.models import ClientSite

# A score below this is flagged on the operations dashboard.
LOW_SCORE = 70
# Missed visits are counted over this many days, today included.
MISSED_WINDOW_DAYS = 7
# How many rows the dashboard's short lists show; the link behind them shows the rest.
SHORT_LIST = 5


def kind_for(user):
    """Which dashboard a user gets, from what their role lets them do."""
    if user.has_perm("scheduling.manage_visits"):
        return "operations"
    if user.has_perm("scheduling.change_visit_status"):
        return "technician"
    if user.has_perm("inspections.add_siteinspectionlog"):
        return "inspector"
    return "client"


def context_for(user):
    builders = {
        "operations": _operations,
        "technician": _technician,
        "inspector": _inspector,
        "client": _client,
    }
    return builders[kind_for(user)](user)


def _url(name, **params):
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _operations(user):
    """Coordinators, supervisors and admins: how is the company doing today?"""
    today = timezone.localdate()
    missed_from = today - dt.timedelta(days=MISSED_WINDOW_DAYS - 1)
    visits = CleaningSchedule.objects.for_user(user)
    # One query for every visit figure.
    counts = visits.aggregate(
        missed=Count("pk", filter=Q(status=VisitStatus.MISSED, service_date__gte=missed_from)),
        **{
            f"today_{status}": Count("pk", filter=Q(service_date=today, status=status))
            for status in VisitStatus.values
        },
    )
    day = today.isoformat()
    today_by_status = [
        {
            "status": status,
            "label": label,
            "count": counts[f"today_{status}"],
            "url": _url("scheduling:visit_list", date_from=day, date_to=day, status=status),
        }
        for status, label in VisitStatus.choices
    ]

    stale_days = settings.INSPECTION_STALE_DAYS
    stale_sites = not_inspected_within(ClientSite.objects.for_user(user).active(), stale_days)
    stale_sites = with_last_inspection(stale_sites).order_by(
        F("last_inspected_at").asc(nulls_first=True), "site_name"
    )
    stale_count = stale_sites.count()

    inspections = SiteInspectionLog.objects.for_user(user)

    return {
        "today": today,
        "visits_today": sum(entry["count"] for entry in today_by_status),
        "visits_today_url": _url("scheduling:visit_list", date_from=day, date_to=day),
        "today_by_status": today_by_status,
        "missed_count": counts["missed"],
        "missed_days": MISSED_WINDOW_DAYS,
        "missed_url": _url(
            "scheduling:visit_list",
            status=VisitStatus.MISSED,
            date_from=missed_from.isoformat(),
            date_to=day,
        ),
        "low_stock_items": SupplyInventory.objects.for_user(user).low().count(),
        "low_stock_url": _url("inventory:item_list", low=1),
        "stale_days": stale_days,
        "stale_count": stale_count,
        "stale_sites": list(stale_sites[:SHORT_LIST]) if stale_count else [],
        "stale_url": _url("portal:site_list", active=1, not_inspected_days=stale_days),
        "low_score": LOW_SCORE,
        "low_scores": list(
            inspections.filter(score__lt=LOW_SCORE)
            .select_related("site", "inspector")
            .order_by("-inspection_date", "-pk")[:SHORT_LIST]
        ),
        "low_scores_url": _url("inspections:inspection_list", score_below=LOW_SCORE),
        "overdue_actions": inspections.overdue().count(),
        "overdue_url": _url("inspections:inspection_list", overdue=1),
        "overdue_days": settings.CORRECTIVE_ACTION_OVERDUE_DAYS,
        "site_list_url": _url("portal:site_list", active=1),
        "active_sites": ClientSite.objects.for_user(user).active().count(),
    }


def _technician(user):
    """Today's visits first: the technician opens this on a phone at the start of a shift."""
    today = timezone.localdate()
    visits = (
        CleaningSchedule.objects.for_user(user)
        # Today's visits and last night's still under way: the same rule as "My day".
        .current_work(timezone.now())
        .select_related("site")
        .order_by("service_date", "start_time", "pk")
    )
    return {
        "today": today,
        "visits": list(visits),
        "sites": list(ClientSite.objects.for_user(user).active().order_by("site_name")[:20]),
    }


def _inspector(user):
    """The inspector's sites, least recently inspected first, each one tap from a new
    inspection."""
    sites = (
        ClientSite.objects.for_user(user)
        .active()
        .annotate(last_inspected_at=Max("inspections__inspection_date"))
        .order_by(F("last_inspected_at").asc(nulls_first=True), "site_name")
    )
    create_url = reverse("inspections:inspection_create")
    sites = list(sites)
    for site in sites:
        site.new_inspection_url = f"{create_url}?{urlencode({'site': site.pk})}"
    return {
        "sites": sites,
        "stale_before": days_before(timezone.now(), settings.INSPECTION_STALE_DAYS),
    }


def _client(user):
    """A facility manager's sites, each with its page and its monthly report."""
    return {"sites": list(ClientSite.objects.for_user(user).order_by("-active", "site_name"))}
