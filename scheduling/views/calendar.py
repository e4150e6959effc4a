"""The personal iCal feed: a settings page (show, regenerate, revoke) and the feed itself.

The feed URL works without a login (calendar apps cannot log in): the random token in it is the
credential. A revoked token, an inactive account or one that lost its visit permissions answer
404, like an unknown token. Only the token's hash is stored, so the link is shown once, on the
page right after it is made (handed over in the session, which forgets it there).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from janitorial_crm.mixins import PortalPermissionMixin
from scheduling import permissions, services
from scheduling.ical import visits_calendar
from scheduling.models import (
    CalendarFeedToken,
    CleaningSchedule,
    VisitStatus,
    hash_feed_token,
)

# Visits of the past week stay in the feed so a phone's calendar keeps recent history.
FEED_PAST_DAYS = 7
FEED_MAX_EVENTS = 1000
# Calendar apps poll every few minutes to hours; a short cache keeps a revoke effective soon.
FEED_MAX_AGE = 60
# Carries a new link's token from the regenerate POST to the page that shows it, once.
NEW_LINK_SESSION_KEY = "scheduling_new_calendar_token"


class CalendarFeedView(PortalPermissionMixin, TemplateView):
    permission_required = "scheduling.change_visit_status"
    template_name = "scheduling/calendar_feed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = CalendarFeedToken.objects.filter(user=self.request.user).first()
        new_token = self.request.session.pop(NEW_LINK_SESSION_KEY, None)
        # Shown only if it is still the live one (not replaced meanwhile from another device).
        if (
            token
            and token.is_active
            and new_token
            and token.token_hash == hash_feed_token(new_token)
        ):
            path = reverse("scheduling:calendar_feed_ics", kwargs={"token": new_token})
            url = self.request.build_absolute_uri(path)
            context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
        context["token"] = token
        return context


class CalendarFeedRegenerateView(PortalPermissionMixin, View):
    permission_required = "scheduling.change_visit_status"
    http_method_names = ["post"]

    def post(self, request):
        token = services.calendar_token_regenerate(user=request.user)
        request.session[NEW_LINK_SESSION_KEY] = token
        messages.success(request, _("New calendar link created; the old one no longer works."))
        return redirect("scheduling:calendar_feed")


class CalendarFeedRevokeView(PortalPermissionMixin, View):
    permission_required = "scheduling.change_visit_status"
    http_method_names = ["post"]

    def post(self, request):
        services.calendar_token_revoke(user=request.user)
        messages.success(request, _("Calendar link turned off."))
        return redirect("scheduling:calendar_feed")


@login_not_required
@require_GET
@cache_control(private=True, max_age=FEED_MAX_AGE)
def calendar_feed_ics(request, token):
    """The token owner's visits from a week ago to the planning horizon, as iCalendar.

    Upcoming cancelled visits stay in the feed marked cancelled, so the phone shows the event
    as called off instead of it silently vanishing; past cancelled ones are left out.
    """
    feed = CalendarFeedToken.objects.live().select_related("user").matching(token).first()
    if feed is None or not permissions.can_use_calendar_feed(feed.user):
        raise Http404
    user = feed.user
    today = timezone.localdate()
    visits = (
        CleaningSchedule.objects.for_user(user)
        .filter(assigned_to=user)
        .between(today - dt.timedelta(days=FEED_PAST_DAYS), services.horizon_date(today))
        .exclude(status=VisitStatus.CANCELLED, service_date__lt=today)
        .select_related("site")
        .order_by("service_date", "start_time")[:FEED_MAX_EVENTS]
    )
    body = visits_calendar(
        visits=visits,
        name=_("Visits of %(name)s") % {"name": user},
        visit_url=lambda visit: request.build_absolute_uri(visit.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    return response
