"""A person's visits as an iCalendar feed (RFC 5545), for phones' calendar apps.

Times carry the company's zone (TZID with a VTIMEZONE), so a 22:00-02:00 visit shows from 22:00
to 02:00 the next morning on the phone, whatever the DST offset that night. The feed holds no
site instructions or notes: calendar apps sync it to third-party servers, and access codes do
not belong there; each event links to the visit page instead.
"""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from scheduling.models import VisitStatus

_PRODID = "-//Janitorial CRM//Visits//EN"
# Stable whatever host name the feed is fetched under, so calendar apps never duplicate events.
_UID_DOMAIN = "visits.janitorial-crm"


def visits_calendar(*, visits, name, visit_url):
    """The iCalendar document (bytes) for `visits`; `visit_url(visit)` gives each event's URL."""
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_default_timezone_name())
    stamp = timezone.now()
    visits = list(visits)
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{_UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("last-modified", visit.updated_at)
        event.add("dtstart", visit.starts_at)
        event.add("dtend", visit.ends_at)
        event.add("summary", f"{visit.site.site_name} ({visit.site.site_code})")
        event.add("location", visit.site.address.replace("\n", ", "))
        event.add("description", f"{visit.get_status_display()}\n{visit_url(visit)}")
        event.add("url", visit_url(visit))
        # A cancelled visit stays in the feed as a cancelled event, so the phone shows it
        # called off instead of it silently disappearing.
        event.add("status", "CANCELLED" if visit.status == VisitStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    if visits:
        # Only the DST rules of the feed's own span, not fifty years of them.
        calendar.add_missing_timezones(
            first_date=min(visit.service_date for visit in visits) - dt.timedelta(days=1),
            last_date=max(visit.end_date for visit in visits) + dt.timedelta(days=1),
        )
    return calendar.to_ical()
