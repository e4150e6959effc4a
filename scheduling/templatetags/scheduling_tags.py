"""Scheduling sections for the site hub, and small display helpers for visit templates.

The hub tags read the user from the template context and scope through `for_user`; a user who
may not see a section gets an empty string. Each runs a fixed number of queries.
"""

import datetime as dt
from urllib.parse import quote_plus

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from scheduling.models import CleaningSchedule, VisitStatus
from sites.models import ClientSite

register = template.Library()

# How many past visits the client-facing visit log shows.
VISIT_LOG_LENGTH = 20


@register.inclusion_tag("scheduling/includes/_site_week_visits.html", takes_context=True)
def site_week_visits(context, site):
    """This week's (Mon-Sun) visits at `site` with their status, for staff (one query)."""
    user = context["request"].user
    if not user.has_perm("scheduling.view_cleaningschedule"):
        return {"hidden": True}
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    visits = (
        CleaningSchedule.objects.for_user(user)
        .filter(site=site)
        .between(monday, monday + dt.timedelta(days=6))
        .select_related("assigned_to")
        .order_by("service_date", "start_time")
    )
    return {"visits": list(visits), "site": site, "today": today, "week": monday, "user": user}


@register.inclusion_tag("scheduling/includes/_site_visit_log.html", takes_context=True)
def site_visit_log(context, site):
    """Recent visits at `site`: date, time window and completion status only (client portal).

    Shown to anyone who can see the site; loads no notes and no staff, so nothing internal can
    leak into the template (two queries).
    """
    user = context["request"].user
    if not ClientSite.objects.for_user(user).filter(pk=site.pk).exists():
        return {"hidden": True}
    visits = (
        CleaningSchedule.objects.in_visit_log(user)
        .filter(site=site)
        .order_by("-service_date", "-start_time")
        .only("service_date", "start_time", "end_time", "status")[:VISIT_LOG_LENGTH]
    )
    return {"visits": list(visits), "site": site}


@register.filter
def time_window(visit):
    """ "22:00–02:00 (+1 day)" for an overnight visit, "18:00–22:00" otherwise."""
    window = f"{visit.start_time:%H:%M}–{visit.end_time:%H:%M}"
    if visit.end_time < visit.start_time:
        window += " " + _("(+1 day)")
    return window


@register.filter
def maps_url(address):
    """A link that opens the phone's maps app (or the web map) at `address`."""
    query = quote_plus(" ".join((address or "").split()))
    return f"https://www.google.com/maps/search/?api=1&query={query}"


@register.filter
def status_class(status):
    """The CSS class of a status badge (static/css/app.css has one per status)."""
    return f"status-{status}" if status in VisitStatus.values else "status-scheduled"
