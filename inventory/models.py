"""Supplies stocked at each site, and the ledger of movements that is the only way they change."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce, Greatest, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel
from janitorial_crm.roles import Role
from janitorial_crm.wall_clock import days_before
from sites.models import ClientSite


class Category(models.TextChoices):
    CHEMICALS = "chemicals", _("Chemicals")
    PAPER = "paper", _("Paper products")
    LINERS = "liners", _("Can liners")
    SOAP = "soap", _("Hand soap & sanitiser")
    TOOLS = "tools", _("Tools & equipment")
    PPE = "ppe", _("Protective equipment")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    EACH = "each", _("each")
    CASE = "case", _("case")
    BOX = "box", _("box")
    ROLL = "roll", _("roll")
    LITRE = "litre", _("litre")
    GALLON = "gallon", _("gallon")
    BOTTLE = "bottle", _("bottle")
    PACK = "pack", _("pack")


def format_quantity(value):
    """A quantity to two places without trailing zeros: 12.50 -> "12.5", 3.00 -> "3"."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = f"{value:.2f}"
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class SupplyInventoryQuerySet(models.QuerySet):
    def for_user(self, user):
        """Stock visible to `user`: all for company-wide roles, the assigned sites' stock for
        technicians and inspectors, nothing for clients."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role in (Role.TECHNICIAN, Role.INSPECTOR):
            return self.filter(site__in=ClientSite.objects.for_user(user))
        return self.none()

    def low(self):
        return self.filter(quantity_on_hand__lte=F("reorder_level"))

    def with_quantity_to_order(self):
        """Annotate `to_order`: what brings the item back to its par level (never negative)."""
        par = Coalesce("par_level", F("reorder_level") * 2)
        return self.annotate(
            to_order=Greatest(
                par - F("quantity_on_hand"),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )

    def with_forecast(self, *, now=None):
        """Annotate the usage forecast in SQL, so that lists can filter, sort and paginate on it.

        - `usage_in_window`: units used (usage movements) in the last STOCK_FORECAST_WINDOW_DAYS;
        - `daily_usage`: that spread over the whole window (0.0 when nothing was used);
        - `days_left`: on hand / daily usage, i.e. "runs out in about N days" (NULL: no usage);
        - `days_to_reorder`: days until the reorder level is reached (NULL: no usage);
        - `runs_low_soon`: not low yet, but reaches the reorder level within
          STOCK_FORECAST_WARN_DAYS days: the warning that comes before the shortage.
        """
        now = now or timezone.now()
        window_days = settings.STOCK_FORECAST_WINDOW_DAYS
        used = (
            StockMovement.objects.filter(
                item=OuterRef("pk"),
                kind=MovementKind.USAGE,
                created_at__gt=days_before(now, window_days),
                created_at__lte=now,
            )
            .order_by()
            .values("item")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        decimal = DecimalField(max_digits=12, decimal_places=2)
        # NULLIF turns "no usage" into NULL instead of a division by zero (an error on PostgreSQL).
        per_day = NullIf(F("daily_usage"), Value(0.0))
        return self.annotate(
            usage_in_window=Abs(
                Coalesce(Subquery(used, output_field=decimal), Value(Decimal("0"))),
                output_field=decimal,
            ),
            daily_usage=Cast("usage_in_window", FloatField()) / Value(float(window_days)),
            days_left=Cast("quantity_on_hand", FloatField()) / per_day,
            days_to_reorder=Cast(F("quantity_on_hand") - F("reorder_level"), FloatField())
            / per_day,
            runs_low_soon=Case(
                When(
                    Q(quantity_on_hand__gt=F("reorder_level"))
                    & Q(days_to_reorder__lte=settings.STOCK_FORECAST_WARN_DAYS),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def needing_attention(self):
        """Low items and items forecast to become low soon (needs `with_forecast()`)."""
        return self.filter(Q(quantity_on_hand__lte=F("reorder_level")) | Q(runs_low_soon=True))


class SupplyInventory(TimeStampedModel):
    """One stocked item at one site (a SKU on a shelf in that site's supply closet)."""

    site = models.ForeignKey(
        ClientSite, on_delete=models.PROTECT, related_name="stock_items", verbose_name=_("site")
    )
    item_name = models.CharField(_("item"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64)
    category = models.CharField(
        _("category"), max_length=16, choices=Category, default=Category.OTHER
    )
    quantity_on_hand = models.DecimalField(
        _("on hand"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    reorder_level = models.DecimalField(
        _("reorder level"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    par_level = models.DecimalField(
        _("par level"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Target quantity after a restock. Empty means twice the reorder level."),
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, default=Unit.EACH)
    last_restocked_at = models.DateTimeField(_("last restocked"), null=True, blank=True)
    # Set when a restock digest reported the item as low; cleared once it is back above the
    # reorder level, so each spell of low stock is e-mailed once, not every day.
    low_alerted_at = models.DateTimeField(_("low-stock alert sent"), null=True, blank=True)

    objects = SupplyInventoryQuerySet.as_manager()

    class Meta:
        ordering = ["site", "item_name"]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply inventory")
        permissions = [
            ("adjust_stock", _("Can restock and correct any stock item")),
            ("record_usage", _("Can record usage and counts at assigned sites")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["site", "sku"], name="stock_sku_unique_per_site"),
            models.CheckConstraint(
                condition=Q(quantity_on_hand__gte=0), name="stock_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reorder_level__gte=0), name="stock_reorder_level_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(par_level__isnull=True) | Q(par_level__gte=0),
                name="stock_par_level_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "item_name"]),
            models.Index(fields=["category"]),
            models.Index(
                fields=["site"],
                condition=Q(quantity_on_hand__lte=F("reorder_level")),
                name="stock_low_by_site",
            ),
        ]

    def __str__(self):
        return f"{self.item_name} ({self.sku}) @ {self.site.site_code}"

    def get_absolute_url(self):
        return reverse("inventory:item_detail", kwargs={"pk": self.pk})

    @property
    def is_low(self):
        return self.quantity_on_hand <= self.reorder_level

    @property
    def effective_par_level(self):
        return self.par_level if self.par_level is not None else 2 * self.reorder_level

    @property
    def quantity_to_order(self):
        return max(self.effective_par_level - self.quantity_on_hand, Decimal("0"))


class MovementKind(models.TextChoices):
    RESTOCK = "restock", _("Restock")
    USAGE = "usage", _("Usage")
    CORRECTION = "correction", _("Count correction")


class StockMovementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Movements are visible with their item."""
        return self.filter(item__in=SupplyInventory.objects.for_user(user))


class StockMovement(models.Model):
    """One recorded change of an item's quantity. Never edited or deleted: a mistake is
    corrected by a new movement. `quantity` is signed: restock > 0, usage < 0, a correction
    is the difference between the counted and the recorded quantity."""

    item = models.ForeignKey(
        SupplyInventory, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind)
    quantity = models.DecimalField(_("change"), max_digits=12, decimal_places=2)
    quantity_after = models.DecimalField(_("on hand after"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stock_movements",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_after__gte=0), name="movement_quantity_after_not_negative"
            ),
            # A restock adds, a usage takes away; a correction may go either way (or confirm).
            models.CheckConstraint(
                condition=Q(kind=MovementKind.RESTOCK, quantity__gt=0)
                | Q(kind=MovementKind.USAGE, quantity__lt=0)
                | Q(kind=MovementKind.CORRECTION),
                name="movement_quantity_sign_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["item", "kind", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} {self.item.sku}"
