"""Creating and editing items: the quantity is never a form field."""

from decimal import Decimal

import pytest

from inventory.models import MovementKind, SupplyInventory
from inventory.services import stock_apply_movement
from tests.factories import StockItemFactory, make_stock_item

pytestmark = pytest.mark.django_db


def item_data(site, **overrides):
    data = {
        "site": site.pk,
        "item_name": "Paper towels",
        "sku": " pt-2ply ",
        "category": "paper",
        "unit": "case",
        "reorder_level": "4",
        "par_level": "",
        "opening_quantity": "",
    }
    return {**data, **overrides}


def test_coordinator_creates_an_item_with_an_opening_quantity_recorded_as_a_restock(
    login, coordinator, site
):
    client = login(coordinator)
    page = client.get("/stock/new/")
    assert "quantity_on_hand" not in page.context["form"].fields
    response = client.post("/stock/new/", item_data(site, opening_quantity="6.5"))
    item = SupplyInventory.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stock/{item.pk}/"
    assert item.sku == "PT-2PLY"
    assert item.quantity_on_hand == Decimal("6.5")
    assert item.last_restocked_at is not None
    movement = item.movements.get()
    assert (movement.kind, movement.quantity, movement.created_by) == (
        MovementKind.RESTOCK,
        Decimal("6.5"),
        coordinator,
    )


def test_an_item_created_without_opening_quantity_starts_empty_without_movements(
    login, supervisor, site
):
    login(supervisor).post("/stock/new/", item_data(site))
    item = SupplyInventory.objects.get()
    assert item.quantity_on_hand == 0 and not item.movements.exists()


def test_a_posted_quantity_on_hand_is_ignored(login, coordinator, site):
    login(coordinator).post("/stock/new/", item_data(site, quantity_on_hand="999"))
    assert SupplyInventory.objects.get().quantity_on_hand == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opening_quantity": "-1"}, "opening_quantity"),
        ({"opening_quantity": "lots"}, "opening_quantity"),
        ({"reorder_level": "-2"}, "reorder_level"),
        ({"reorder_level": "x"}, "reorder_level"),
        ({"par_level": "4"}, "par_level"),
        ({"item_name": ""}, "item_name"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    login, coordinator, site, overrides, field
):
    response = login(coordinator).post("/stock/new/", item_data(site, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SupplyInventory.objects.exists()


def test_a_duplicate_sku_at_the_same_site_is_an_error_on_the_sku(login, coordinator, site):
    StockItemFactory(site=site, sku="PT-2PLY")
    response = login(coordinator).post("/stock/new/", item_data(site))
    assert "sku" in response.context["form"].errors
    assert SupplyInventory.objects.count() == 1


def test_the_site_dropdown_offers_only_active_sites(login, coordinator, site, other_site):
    other_site.active = False
    other_site.save()
    form = login(coordinator).get("/stock/new/").context["form"]
    assert list(form.fields["site"].queryset) == [site]


def test_editing_changes_the_levels_but_never_the_quantity(login, coordinator, site):
    item = make_stock_item(by=coordinator, site=site, quantity="10", sku="PT-1")
    client = login(coordinator)
    page = client.get(f"/stock/{item.pk}/edit/")
    assert set(page.context["form"].fields) == {
        "item_name",
        "sku",
        "category",
        "unit",
        "reorder_level",
        "par_level",
    }
    # Someone records usage between loading the form and saving it.
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="3", by=coordinator)
    data = item_data(site, sku="PT-1", reorder_level="2", par_level="12")
    response = client.post(f"/stock/{item.pk}/edit/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.reorder_level, item.par_level, item.item_name) == (2, 12, "Paper towels")
    assert item.quantity_on_hand == 7
    assert item.site == site


def test_editing_to_another_items_sku_is_refused(login, coordinator, site):
    StockItemFactory(site=site, sku="TAKEN")
    item = StockItemFactory(site=site, sku="MINE")
    response = login(coordinator).post(f"/stock/{item.pk}/edit/", item_data(site, sku="taken"))
    assert "sku" in response.context["form"].errors
    item.refresh_from_db()
    assert item.sku == "MINE"
