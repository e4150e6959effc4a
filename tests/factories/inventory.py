from decimal import Decimal

import factory

from inventory.models import Category, SupplyInventory, Unit

__all__ = ["StockItemFactory"]


class StockItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyInventory

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    item_name = factory.Sequence(lambda n: f"Supply item {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    category = Category.PAPER
    quantity_on_hand = Decimal("20")
    reorder_level = Decimal("5")
    unit = Unit.CASE
