from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inventory import services
from inventory.models import StockMovement, SupplyInventory
from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline

# An item's admin page lists its latest movements only; the whole ledger is paginated on the
# item's portal page, which the admin page links to.
LEDGER_ROWS_IN_ADMIN = 50


class LatestMovementsFormSet(BaseInlineFormSet):
    def get_queryset(self):
        # The inline queryset is filtered by item after `get_queryset(request)`, so it cannot be
        # sliced there; here it is the item's ledger, newest first (StockMovement.Meta).
        if not hasattr(self, "_latest"):
            ledger = super().get_queryset()
            self._latest = ledger.filter(pk__in=ledger.values("pk")[:LEDGER_ROWS_IN_ADMIN])
        return self._latest


class StockMovementInline(ScopedTabularInline):
    """The latest movements, read-only: movements are never edited or deleted."""

    model = StockMovement
    formset = LatestMovementsFormSet
    fields = ("created_at", "kind", "quantity", "quantity_after", "created_by", "note")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("latest stock movements")

    def get_queryset(self, request):
        # The row's title (str) names the item's SKU; "recorded by" is a user.
        return super().get_queryset(request).select_related("created_by", "item__site")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupplyInventory)
class SupplyInventoryAdmin(ScopedModelAdmin):
    """Quantities are read-only here: they change only through stock movements."""

    list_display = (
        "item_name",
        "sku",
        "site",
        "category",
        "quantity_on_hand",
        "reorder_level",
        "unit",
    )
    list_filter = ("category", "unit")
    search_fields = ("item_name", "sku", "site__site_code", "site__site_name")
    autocomplete_fields = ("site",)
    list_select_related = ("site",)
    readonly_fields = ("quantity_on_hand", "last_restocked_at", "low_alerted_at", "ledger")
    inlines = [StockMovementInline]

    def save_model(self, request, obj, form, change):
        if change:
            services.stock_item_update(item=obj, fields=form.changed_data)
        else:
            services.stock_item_create(item=obj, opening_quantity=None, by=request.user)

    @admin.display(description=_("ledger"))
    def ledger(self, item):
        if item.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', item.get_absolute_url(), _("Every movement, on the item's page")
        )


@admin.register(StockMovement)
class StockMovementAdmin(ScopedModelAdmin):
    list_display = ("created_at", "item", "kind", "quantity", "quantity_after", "created_by")
    list_filter = ("kind", "created_at")
    search_fields = ("item__sku", "item__item_name", "item__site__site_code", "note")
    date_hierarchy = "created_at"
    list_select_related = ("item__site", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StockItemInline(ScopedTabularInline):
    """A site's items, on the site's admin page (composed in janitorial_crm/admin.py)."""

    model = SupplyInventory
    fields = ("item_name", "sku", "category", "quantity_on_hand", "reorder_level", "unit")
    readonly_fields = ("quantity_on_hand",)
    show_change_link = True

    def get_queryset(self, request):
        # Each row's title (str) names the site.
        return super().get_queryset(request).select_related("site")
