"""Cleaning visits: one row is one visit; recurring series materialise their visits ahead."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel
from janitorial_crm.roles import Role
from janitorial_crm.validators import validate_business_date
from sites.models import ClientSite


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Daily")
    WEEKDAYS = "weekdays", _("Weekdays (Mon–Fri)")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# Which status changes exist, and whether only planners (perm scheduling.manage_visits) may make
# them. Field staff only start and complete; everything else is a coordinator's correction.
STATUS_TRANSITIONS: dict[tuple[str, str], bool] = {
    (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS): False,
    (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED): False,
    (VisitStatus.SCHEDULED, VisitStatus.CANCELLED): True,
    (VisitStatus.IN_PROGRESS, VisitStatus.CANCELLED): True,
    (VisitStatus.SCHEDULED, VisitStatus.MISSED): True,
    (VisitStatus.IN_PROGRESS, VisitStatus.MISSED): True,
    (VisitStatus.MISSED, VisitStatus.SCHEDULED): True,
    (VisitStatus.CANCELLED, VisitStatus.SCHEDULED): True,
    # "Completed is final" for field staff; a coordinator may reopen a visit closed by mistake.
    (VisitStatus.COMPLETED, VisitStatus.IN_PROGRESS): True,
}


class VisitSeriesQuerySet(models.QuerySet):
    def for_user(self, user):
        """Series are planning objects: only company-wide roles see them."""
        if user.is_authenticated and user.sees_everything:
            return self
        return self.none()

    def active(self):
        return self.filter(active=True)

    def due_for_extension(self, horizon):
        """Active series whose visits are not yet materialised up to `horizon` (or their end)."""
        return self.active().filter(
            Q(materialised_until__isnull=True) | Q(materialised_until__lt=horizon),
            Q(until__isnull=True)
            | Q(materialised_until__isnull=True)
            | Q(materialised_until__lt=F("until")),
        )


class VisitSeries(TimeStampedModel):
    """The rule behind a recurring set of visits; its visits are materialised up to a horizon.

    The rule is the first date's weekday (weekly, every two weeks) or day of the month (monthly;
    a day the month lacks, like the 31st, falls on that month's last day), from `first_date` to
    `until` (inclusive, open-ended when empty), minus `skip_dates` (ISO dates, e.g. holidays).
    `materialised_until` is the last date visits were created for, so rolling the series forward
    never re-creates a visit that was moved or deleted.
    """

    site = models.ForeignKey(
        ClientSite, on_delete=models.PROTECT, related_name="visit_series", verbose_name=_("site")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_series",
        verbose_name=_("technician"),
    )
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency)
    first_date = models.DateField(_("first date"), validators=[validate_business_date])
    until = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_business_date]
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    skip_dates = models.JSONField(_("skip dates"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    materialised_until = models.DateField(_("materialised until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = VisitSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit series")
        verbose_name_plural = _("visit series")
        constraints = [
            models.CheckConstraint(
                condition=~Q(start_time=F("end_time")), name="series_start_not_end"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("first_date")),
                name="series_until_after_first",
            ),
        ]

    def __str__(self):
        return f"{self.site.site_code} {self.get_frequency_display()} from {self.first_date}"

    @property
    def skipped(self):
        """The skip dates as `date` objects."""
        return {dt.date.fromisoformat(value) for value in self.skip_dates or []}

    @property
    def is_overnight(self):
        return self.end_time < self.start_time


class CleaningScheduleQuerySet(models.QuerySet):
    def for_user(self, user):
        """The visits `user` may see: all for company-wide roles, their own for technicians,
        those at assigned sites for inspectors, none for clients (their visit log is a
        summary served through the site)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        role = user.role
        if role == Role.TECHNICIAN:
            return self.filter(assigned_to=user)
        if role == Role.INSPECTOR:
            return self.filter(site__in=ClientSite.objects.for_user(user))
        return self.none()

    def in_visit_log(self, user):
        """The visits a site's visit log shows `user` (the client portal's summary: dates,
        times, status): past and today's, not cancelled, at the sites `user` may see."""
        return self.filter(
            site__in=ClientSite.objects.for_user(user), service_date__lte=timezone.localdate()
        ).exclude(status=VisitStatus.CANCELLED)

    def on(self, date):
        return self.filter(service_date=date)

    def between(self, start, end):
        return self.filter(service_date__gte=start, service_date__lte=end)

    def not_cancelled(self):
        return self.exclude(status=VisitStatus.CANCELLED)

    def with_related(self):
        """What lists and the board show of each visit, in the same query."""
        return self.select_related("site", "assigned_to")

    def past_due(self, now=None):
        """Visits whose end (the next morning for overnight visits) is at or before `now`."""
        local = timezone.localtime(now or timezone.now())
        today, clock = local.date(), local.time()
        yesterday = today - dt.timedelta(days=1)
        same_day = Q(end_time__gt=F("start_time"))
        return self.filter(
            Q(service_date__lt=yesterday)
            | Q(service_date=yesterday) & (same_day | Q(end_time__lte=clock))
            | Q(service_date=today) & same_day & Q(end_time__lte=clock)
        )

    def current_work(self, now=None, *, days_ahead=0):
        """The work of "today" at `now` (My day, the technician's dashboard): today's visits,
        the next `days_ahead` days' visits, and yesterday's visits still under way.

        An overnight visit belongs to the day it starts, so after midnight last night's visit
        is still current: while it is in progress, and, not yet started, until its end (the
        moment `past_due`, and so mark_missed, takes it). Wall-clock comparison, like
        past_due, so the two agree on every night.
        """
        local = timezone.localtime(now or timezone.now())
        today, clock = local.date(), local.time()
        yesterday = today - dt.timedelta(days=1)
        not_started_yet_running = (
            Q(status=VisitStatus.SCHEDULED)
            & Q(end_time__lt=F("start_time"))
            & Q(end_time__gt=clock)
        )
        still_running = Q(service_date=yesterday) & (
            Q(status=VisitStatus.IN_PROGRESS) | not_started_yet_running
        )
        ahead = today + dt.timedelta(days=days_ahead)
        return self.filter(Q(service_date__gte=today, service_date__lte=ahead) | still_running)


class CleaningSchedule(TimeStampedModel):
    """One cleaning visit at a site by a technician. A visit may cross midnight."""

    site = models.ForeignKey(
        ClientSite, on_delete=models.PROTECT, related_name="visits", verbose_name=_("site")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("technician"),
    )
    series = models.ForeignKey(
        VisitSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("series"),
    )
    service_date = models.DateField(_("date"), validators=[validate_business_date])
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency, default=Frequency.ONCE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus, default=VisitStatus.SCHEDULED
    )
    notes = models.TextField(_("notes"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )

    objects = CleaningScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["service_date", "start_time"]
        verbose_name = _("cleaning visit")
        verbose_name_plural = _("cleaning visits")
        permissions = [
            ("change_visit_status", _("Can start, complete and annotate visits")),
            ("manage_visits", _("Can plan, assign, cancel and mark visits missed")),
        ]
        constraints = [
            # Overnight (end < start) is normal; a zero-length visit is not.
            models.CheckConstraint(
                condition=~Q(start_time=F("end_time")), name="visit_start_not_end"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_valid"
            ),
            models.UniqueConstraint(
                fields=["series", "service_date"],
                condition=Q(series__isnull=False),
                name="visit_once_per_series_day",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "service_date"]),
            models.Index(fields=["assigned_to", "service_date"]),
            models.Index(fields=["status", "service_date"]),
            models.Index(fields=["service_date", "start_time"]),
        ]

    def __str__(self):
        return f"{self.site.site_code} {self.service_date} {self.start_time:%H:%M}"

    def get_absolute_url(self):
        return reverse("scheduling:visit_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.start_time and self.end_time and self.start_time == self.end_time:
            raise ValidationError({"end_time": _("A visit cannot end at the time it starts.")})

    @property
    def is_overnight(self):
        return self.end_time < self.start_time

    @property
    def end_date(self):
        """The calendar day the visit ends: the next one for an overnight visit."""
        return self.service_date + dt.timedelta(days=1 if self.is_overnight else 0)

    @property
    def starts_at(self):
        """Start as an aware datetime in the company's zone (wall-clock times are local)."""
        return wall_clock(self.service_date, self.start_time)

    @property
    def ends_at(self):
        return wall_clock(self.end_date, self.end_time)

    @property
    def duration(self):
        # Aware arithmetic: a 22:00-02:00 visit over the autumn DST change lasts five hours.
        return self.ends_at.astimezone(dt.UTC) - self.starts_at.astimezone(dt.UTC)

    @property
    def is_open(self):
        return self.status in (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)


def wall_clock(date, time):
    """`date` at `time` on the company's clock (settings.TIME_ZONE), as an aware datetime."""
    return dt.datetime.combine(date, time, tzinfo=timezone.get_default_timezone())


class VisitStatusChange(models.Model):
    """One status move of a visit: who made it, when, from what to what (the audit trail).

    `changed_by` is empty for moves the system makes (mark_missed).
    """

    visit = models.ForeignKey(
        CleaningSchedule,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("visit"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=VisitStatus)
    to_status = models.CharField(_("to"), max_length=16, choices=VisitStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("visit status change")
        verbose_name_plural = _("visit status changes")
        indexes = [models.Index(fields=["visit", "changed_at"])]

    def __str__(self):
        return f"{self.visit_id}: {self.from_status} → {self.to_status}"


class CalendarFeedTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own token; superusers see all (to revoke a lost phone's link)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self if user.is_superuser else self.filter(user=user)

    def live(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def matching(self, token):
        """The row whose token is `token` (looked up by its hash: the token is not stored)."""
        return self.filter(token_hash=hash_feed_token(token))


def hash_feed_token(token):
    """What is stored of a feed token: its SHA-256 (hex). The token is 256 random bits, so a
    fast unsalted hash is enough: nobody can guess one from a leaked table."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedToken(TimeStampedModel):
    """The secret in a person's iCal feed URL. Regenerating replaces it; revoking disables it.

    The feed is read by calendar apps that cannot log in, so the token is the only credential:
    long, random, one per person, shown to its owner once when it is made, and stored only as
    a hash (a copy of the database opens nobody's calendar).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return f"{self.user} ({_('revoked') if self.revoked_at else _('active')})"

    @property
    def is_active(self):
        return self.revoked_at is None
