"""Inspection sections for pages owned by other apps (the site hub, the dashboard).

Each tag reads the user from the request, scopes through `SiteInspectionLog.objects.for_user`,
runs a fixed number of queries and renders a partial; a user who may not see inspections of the
site gets nothing at all (not even a heading).
"""

from django import template

from inspections import permissions
from inspections.charts import TREND_POINTS, score_trend
from inspections.models import SiteInspectionLog

register = template.Library()

# Open actions listed on the site hub before "see all" takes over.
OPEN_ACTIONS_SHOWN = 10


@register.inclusion_tag("inspections/includes/_site_inspections.html", takes_context=True)
def site_inspections(context, site, count=5):
    """The site's last `count` inspections (score, state) and its score trend as inline SVG.

    Clients see it only where their membership grants inspections, and never internal notes.
    """
    user = context["request"].user
    if not permissions.can_view_at_site(user, site):
        return {"show": False}
    # One query serves both: the trend's points and, newest first, the rows listed.
    recent = list(
        SiteInspectionLog.objects.for_user(user)
        .filter(site=site)
        .select_related("inspector")
        .order_by("-inspection_date", "-pk")[: max(count, TREND_POINTS)]
    )
    return {
        "show": True,
        "site": site,
        "logs": recent[:count],
        "has_more": len(recent) > count,
        "chart": score_trend((log.inspection_date, log.score) for log in reversed(recent)),
        "can_view_internal": permissions.can_view_internal(user),
    }


@register.inclusion_tag("inspections/includes/_site_open_actions.html", takes_context=True)
def site_open_actions(context, site):
    """Open corrective actions at the site, oldest first, overdue ones flagged."""
    user = context["request"].user
    if not permissions.can_view_at_site(user, site):
        return {"show": False}
    logs = list(
        SiteInspectionLog.objects.for_user(user)
        .filter(site=site)
        .open_actions()
        .order_by("inspection_date", "pk")[: OPEN_ACTIONS_SHOWN + 1]
    )
    return {
        "show": True,
        "site": site,
        "logs": logs[:OPEN_ACTIONS_SHOWN],
        "has_more": len(logs) > OPEN_ACTIONS_SHOWN,
        "can_resolve": user.has_perm("inspections.resolve_corrective_action"),
    }


@register.inclusion_tag("inspections/includes/_open_actions_summary.html", takes_context=True)
def open_actions_summary(context):
    """For dashboards: how many corrective actions are open and overdue in the user's scope."""
    user = context["request"].user
    if not user.has_perm("inspections.view_siteinspectionlog"):
        return {"show": False}
    counts = SiteInspectionLog.objects.for_user(user).open_action_counts()
    return {"show": True, **counts}
