"""Stock on other apps' pages (the site hub) and quantity formatting."""

from django import template

from inventory.models import SupplyInventory, format_quantity
from inventory.permissions import can_record_usage

register = template.Library()

SITE_LOW_STOCK_LIMIT = 10


@register.filter
def quantity(value):
    """12.50 -> 12.5, 3.00 -> 3."""
    return format_quantity(value)


@register.inclusion_tag("inventory/includes/_site_low_stock.html", takes_context=True)
def site_low_stock(context, site):
    """The low-stock items at `site` with what to order, for the site hub.

    Renders nothing for a user who may not see stock (clients); two queries at most.
    """
    user = context["request"].user
    if not user.has_perm("inventory.view_supplyinventory"):
        return {"visible": False}
    rows = list(
        SupplyInventory.objects.for_user(user)
        .filter(site=site)
        .low()
        .with_quantity_to_order()
        .order_by("item_name", "pk")[: SITE_LOW_STOCK_LIMIT + 1]
    )
    return {
        "visible": True,
        "site": site,
        "items": rows[:SITE_LOW_STOCK_LIMIT],
        "has_more": len(rows) > SITE_LOW_STOCK_LIMIT,
        "can_record_usage": can_record_usage(user, site),
    }
