"""Editing an item goes through `stock_item_update`: only the edited fields are written."""

from decimal import Decimal

import pytest

from inventory import services
from inventory.models import MovementKind, SupplyInventory
from tests.factories import make_stock_item

pytestmark = pytest.mark.django_db


def test_an_edit_does_not_undo_a_movement_saved_since_the_form_was_loaded(coordinator, site):
    item = make_stock_item(by=coordinator, site=site, quantity="10")
    loaded = SupplyInventory.objects.get(pk=item.pk)  # the edit form's copy
    services.stock_apply_movement(
        item=item, kind=MovementKind.USAGE, quantity=Decimal("4"), by=coordinator
    )
    loaded.item_name = "Paper towels, large"
    services.stock_item_update(item=loaded, fields=["item_name"])
    item.refresh_from_db()
    assert item.item_name == "Paper towels, large"
    assert item.quantity_on_hand == Decimal("6")


def test_the_quantity_is_never_written_by_an_edit(coordinator, site):
    item = make_stock_item(by=coordinator, site=site, quantity="10")
    item.quantity_on_hand = Decimal("999")
    item.reorder_level = Decimal("3")
    services.stock_item_update(item=item, fields=["quantity_on_hand", "reorder_level"])
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("10")
    assert item.reorder_level == Decimal("3")
