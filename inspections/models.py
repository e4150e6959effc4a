"""Inspections: a scored walk of a site, its findings and photos, and the follow-up of its
corrective actions until they are resolved."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel
from janitorial_crm.validators import validate_business_date
from janitorial_crm.wall_clock import days_before
from scheduling.models import CleaningSchedule
from sites.models import ClientSite


def visible_sites(user):
    """The sites whose inspections `user` may see (the rule behind `for_user`).

    All sites for company-wide roles; assigned sites for technicians and inspectors; for clients
    only the sites whose membership grants inspection outcomes. The site hub uses it to tell
    "may not see this section" from "nothing inspected yet".
    """
    return ClientSite.objects.with_visible_inspections(user)


# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


class SiteInspectionLogQuerySet(models.QuerySet):
    def for_user(self, user):
        """Inspections `user` may see: all for company-wide roles; those at assigned sites for
        technicians and inspectors; for clients only at sites whose membership grants it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(site__in=visible_sites(user))

    def open_actions(self):
        """Logs with corrective actions not yet resolved (`SiteInspectionLog.has_open_actions`
        for one row). corrective_actions is stored stripped, so "" means none."""
        return self.exclude(corrective_actions="").filter(resolved_at__isnull=True)

    def latest_per_site(self, count):
        """At most `count` most recent inspections of each site (one query, window function)."""
        rank = Window(
            RowNumber(),
            partition_by=F("site_id"),
            order_by=[F("inspection_date").desc(), F("pk").desc()],
        )
        return self.annotate(site_rank=rank).filter(site_rank__lte=count)

    def overdue(self, now=None):
        """Open corrective actions older than settings.CORRECTIVE_ACTION_OVERDUE_DAYS."""
        return self.open_actions().filter(_overdue_date(now))

    def open_action_counts(self, now=None):
        """{"open": ..., "overdue": ...}: how many of these logs have open and overdue
        corrective actions, in one query."""
        return self.open_actions().aggregate(
            open=Count("pk"), overdue=Count("pk", filter=_overdue_date(now))
        )


def _overdue_date(now=None):
    return Q(inspection_date__lt=overdue_cutoff(now))


def overdue_cutoff(now=None):
    """Open actions of inspections before this moment are overdue."""
    return days_before(now or timezone.now(), settings.CORRECTIVE_ACTION_OVERDUE_DAYS)


class SiteInspectionLog(TimeStampedModel):
    """One inspection of a site, optionally following a specific visit."""

    site = models.ForeignKey(
        ClientSite, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("site")
    )
    schedule = models.ForeignKey(
        CleaningSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("visit"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspector"),
    )
    inspection_date = models.DateTimeField(
        _("inspected at"), default=timezone.now, validators=[validate_business_date]
    )
    score = models.PositiveSmallIntegerField(_("score (0–100)"))
    findings = models.TextField(_("findings"), blank=True)
    corrective_actions = models.TextField(_("corrective actions"), blank=True)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown to clients.")
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution_note = models.TextField(_("resolution"), blank=True)

    objects = SiteInspectionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-inspection_date", "-pk"]
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        permissions = [
            ("resolve_corrective_action", _("Can follow up and resolve corrective actions")),
            ("change_any_inspection", _("Can edit inspections filed by others (in scope)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="inspection_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_by__isnull=False),
                name="inspection_resolution_attributed",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "-inspection_date"]),
            # The list's default ordering (newest first) without a sort step.
            models.Index(fields=["-inspection_date", "-id"], name="inspection_date_desc"),
            models.Index(fields=["inspector", "-inspection_date"]),
            models.Index(fields=["score"]),
            models.Index(
                fields=["inspection_date"],
                condition=Q(resolved_at__isnull=True) & ~Q(corrective_actions=""),
                name="inspection_open_actions",
            ),
        ]

    def __str__(self):
        return f"{self.site.site_code} {self.inspection_date:%Y-%m-%d} ({self.score})"

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.schedule_id and self.site_id and self.schedule.site_id != self.site_id:
            raise ValidationError({"schedule": _("The visit must be at the site being inspected.")})
        if self.inspection_date and self.inspection_date > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(
                {"inspection_date": _("The inspection cannot be in the future.")}, code="future"
            )

    @property
    def has_open_actions(self):
        # The same test as SiteInspectionLogQuerySet.open_actions() (forms and services store
        # the text stripped, so whitespace alone is never saved).
        return self.corrective_actions != "" and self.resolved_at is None

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def is_overdue(self):
        """Open corrective actions older than settings.CORRECTIVE_ACTION_OVERDUE_DAYS."""
        return self.has_open_actions and self.inspection_date < overdue_cutoff()

    @property
    def photo_url(self):
        """The seed's `photoUrl`: the URL of the first finding photo, or "" if none. It is the
        permission-checked photo view (MEDIA_URL is never routed). Uses prefetched photos."""
        for photo in self.photos.all():
            if photo.kind == PhotoKind.FINDING:
                return photo.get_absolute_url()
        return ""


def _photo_path(instance, filename):
    # Random names: never the uploaded file name, never guessable.
    return f"inspections/{uuid.uuid4().hex}.jpg"


def _thumb_path(instance, filename):
    return f"inspections/thumbs/{uuid.uuid4().hex}.jpg"


class PhotoKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    AFTER = "after", _("After (resolution)")


class InspectionPhotoQuerySet(models.QuerySet):
    def for_user(self, user):
        """Photos are visible with their inspection (child rows scope through the parent)."""
        return self.filter(log__in=SiteInspectionLog.objects.for_user(user))


class InspectionPhoto(TimeStampedModel):
    """A photo attached to an inspection, stored re-encoded without metadata."""

    log = models.ForeignKey(
        SiteInspectionLog,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("inspection"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PhotoKind, default=PhotoKind.FINDING)
    image = models.ImageField(
        _("photo"), upload_to=_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_thumb_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    objects = InspectionPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["log", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self):
        return f"Photo {self.pk} of {self.log}"

    def get_absolute_url(self):
        """The full-size photo, through the view that checks who may see it."""
        return reverse("inspections:photo", kwargs={"pk": self.pk, "variant": "full"})

    def get_thumbnail_url(self):
        return reverse("inspections:photo", kwargs={"pk": self.pk, "variant": "thumb"})
