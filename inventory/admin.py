from django.contrib import admin

from inventory.models import StockMovement, SupplyInventory
from janitorial_crm.admin_mixins import ScopedModelAdmin, ScopedTabularInline


class StockMovementInline(ScopedTabularInline):
    """The ledger, read-only: movements are never edited or deleted."""

    model = StockMovement
    fields = ("created_at", "kind", "quantity", "quantity_after", "created_by", "note")
    readonly_fields = fields
    can_delete = False

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
    readonly_fields = ("quantity_on_hand", "last_restocked_at", "low_alerted_at")
    inlines = [StockMovementInline]


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
    model = SupplyInventory
    fields = ("item_name", "sku", "category", "quantity_on_hand", "reorder_level", "unit")
    readonly_fields = ("quantity_on_hand",)
    show_change_link = True
