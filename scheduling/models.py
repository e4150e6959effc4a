"""Cleaning visits: one row is one visit; recurring series materialise their visits ahead."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel
from janitorial_crm.roles import Role
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


class VisitSeries(TimeStampedModel):
    """The rule behind a recurring set of visits; its visits are materialised up to a horizon."""

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
    first_date = models.DateField(_("first date"))
    until = models.DateField(_("end date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    skip_dates = models.JSONField(_("skip dates"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    materialised_until = models.DateField(_("materialised until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

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

    def on(self, date):
        return self.filter(service_date=date)

    def between(self, start, end):
        return self.filter(service_date__gte=start, service_date__lte=end)

    def open(self):
        return self.filter(status__in=[VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS])

    def missed(self):
        return self.filter(status=VisitStatus.MISSED)

    def unassigned(self):
        return self.filter(assigned_to__isnull=True)


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
    service_date = models.DateField(_("date"))
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
    def starts_at(self):
        return timezone.make_aware(dt.datetime.combine(self.service_date, self.start_time))

    @property
    def ends_at(self):
        end_date = self.service_date + dt.timedelta(days=1 if self.is_overnight else 0)
        return timezone.make_aware(dt.datetime.combine(end_date, self.end_time))

    @property
    def duration(self):
        return self.ends_at - self.starts_at
