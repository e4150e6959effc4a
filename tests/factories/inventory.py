from decimal import Decimal

import factory

from inventory.models import Category, MovementKind, SupplyInventory, Unit

__all__ = ["StockItemFactory", "make_stock_item"]


class StockItemFactory(factory.django.DjangoModelFactory):
    """An item with its quantity set directly (no ledger). Use `make_stock_item` when the
    ledger must agree with the quantity."""

    class Meta:
        model = SupplyInventory

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    item_name = factory.Sequence(lambda n: f"Supply item {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    category = Category.PAPER
    quantity_on_hand = Decimal("20")
    reorder_level = Decimal("5")
    unit = Unit.CASE


def make_stock_item(*, by, quantity=Decimal("0"), **kwargs):
    """An item whose opening quantity is recorded as a restock through the movement service."""
    from inventory.services import stock_apply_movement

    item = StockItemFactory(quantity_on_hand=Decimal("0"), **kwargs)
    if Decimal(quantity):
        stock_apply_movement(
            item=item, kind=MovementKind.RESTOCK, quantity=Decimal(quantity), by=by
        )
    return item
