"""Client sites (the buildings the company cleans) and who is assigned to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel
from janitorial_crm.roles import Role


class ServiceLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    STANDARD = "standard", _("Standard")
    PREMIUM = "premium", _("Premium")
    HEALTHCARE = "healthcare", _("Healthcare / critical")


class ClientSiteQuerySet(models.QuerySet):
    def for_user(self, user):
        """The sites `user` may see (docs/ACCESS.md); the only gate for sites.

        Company-wide roles see all; technicians see sites they are members of or hold a visit
        at; inspectors and clients see the sites they are members of.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        role = user.role
        if role not in (Role.TECHNICIAN, Role.INSPECTOR, Role.CLIENT):
            return self.none()
        assigned = Q(pk__in=SiteMembership.objects.filter(user=user).values("site_id"))
        if role == Role.TECHNICIAN:
            # One indexed subquery per branch: an OR across two joins scanned every visit.
            # `visits` is scheduling's reverse relation, named in a lookup: no import upward.
            holding_visits = self.model._default_manager.filter(visits__assigned_to=user)
            assigned |= Q(pk__in=holding_visits.values("pk"))
        return self.filter(assigned)

    def assigned_user_ids(self, site_id):
        """Who, among the roles scoped to their sites, has the site `site_id` in `for_user`:
        its members, and the technicians holding a visit there (the two branches of for_user
        above, read the other way; company-wide roles see every site and are not listed).
        A set, from two indexed queries."""
        members = SiteMembership.objects.filter(site_id=site_id).values_list("user_id", flat=True)
        holding = (
            self.model._default_manager.filter(pk=site_id, visits__assigned_to__isnull=False)
            .values_list("visits__assigned_to", flat=True)
            .distinct()
        )
        return set(members) | set(holding)

    def active(self):
        return self.filter(active=True)

    def with_visible_inspections(self, user):
        """The sites whose inspection outcomes `user` may see: every site in their scope,
        except that a client sees them only where the membership grants it. The one place
        this rule is written (inspections' for_user and the site pages both use it)."""
        sites = self.for_user(user)
        if user.is_authenticated and user.role == Role.CLIENT:
            sites = sites.filter(
                pk__in=SiteMembership.objects.filter(user=user, can_see_inspections=True).values(
                    "site_id"
                )
            )
        return sites

    def with_inspection_grant(self, user):
        """Sites where `user` is a client member allowed to see inspection outcomes."""
        return self.filter(memberships__user=user, memberships__can_see_inspections=True)


site_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]*$",
    _("Use letters, digits and dashes only, starting with a letter or digit (e.g. HQ-01)."),
)


class ClientSite(TimeStampedModel):
    """A building or facility under contract: where visits happen, stock sits and inspections
    are scored."""

    site_name = models.CharField(_("site name"), max_length=200)
    site_code = models.CharField(
        _("site code"),
        max_length=16,
        unique=True,
        validators=[site_code_validator],
        help_text=_("Short uppercase code used on labels and in URLs, e.g. HQ-01."),
        error_messages={"unique": _("Another site already uses this code.")},
    )
    address = models.TextField(_("address"))
    client_name = models.CharField(_("client"), max_length=200, db_index=True)
    service_level = models.CharField(
        _("service level"), max_length=16, choices=ServiceLevel, default=ServiceLevel.STANDARD
    )
    primary_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("primary contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_contact_for",
    )
    instructions = models.TextField(
        _("site instructions"),
        blank=True,
        help_text=_("Access codes, alarm, parking: shown to technicians on their visits."),
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown to clients.")
    )
    active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SiteMembership",
        related_name="member_sites",
        verbose_name=_("members"),
    )

    objects = ClientSiteQuerySet.as_manager()

    class Meta:
        ordering = ["site_name"]
        verbose_name = _("client site")
        verbose_name_plural = _("client sites")
        permissions = [
            ("manage_members", _("Can add and remove site members and grants")),
            (
                "view_site_internals",
                _("Can see a site's instructions, internal notes, stock and staff contacts"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(site_code=Upper("site_code")), name="site_code_uppercase"
            ),
            models.CheckConstraint(condition=~Q(site_code=""), name="site_code_not_empty"),
        ]
        indexes = [models.Index(fields=["active", "site_name"])]

    def __str__(self):
        return f"{self.site_code} · {self.site_name}"

    def get_absolute_url(self):
        return reverse("portal:site_detail", kwargs={"code": self.site_code})

    def clean(self):
        # Normalised before validate_unique runs, so "hq-01" clashes with "HQ-01" as a form
        # error rather than as an IntegrityError (full_clean: fields, clean, then unique).
        self.site_code = normalise_site_code(self.site_code)

    def save(self, *args, **kwargs):
        self.site_code = normalise_site_code(self.site_code)
        super().save(*args, **kwargs)

    def has_history(self):
        """Whether anything protected points at the site (visits, stock, inspections...).

        Such a site is deactivated, never deleted. Found through the PROTECT relations so that
        sites needs to know none of the apps that hold them.
        """
        return any(
            getattr(self, rel.get_accessor_name()).exists()
            for rel in self._meta.related_objects
            if rel.on_delete is models.PROTECT
        )


def normalise_site_code(code):
    return (code or "").strip().upper()


class SiteMembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        """Memberships are visible with their site (child objects scope through the parent)."""
        return self.filter(site__in=ClientSite.objects.for_user(user))


class SiteMembership(TimeStampedModel):
    """A person assigned to a site: staff who work it, or a client user granted access to it."""

    site = models.ForeignKey(
        ClientSite, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("site")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="site_memberships",
        verbose_name=_("user"),
    )
    can_see_inspections = models.BooleanField(
        _("client may see inspection outcomes"),
        default=False,
        help_text=_("Only meaningful for client users."),
    )

    objects = SiteMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["site", "user"]
        verbose_name = _("site member")
        verbose_name_plural = _("site members")
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="site_membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "site"])]

    def __str__(self):
        return f"{self.user} @ {self.site.site_code}"

    def clean(self):
        # Staff see inspections through their role; a grant on them would be meaningless and
        # would silently start to matter if the person ever became a client user.
        if self.can_see_inspections and self.user_id and self.user.role != Role.CLIENT:
            raise ValidationError(
                {
                    "can_see_inspections": _(
                        "Only client users need this grant: staff see inspections by their role."
                    )
                }
            )
