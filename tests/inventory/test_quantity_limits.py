"""Quantities stay within what the columns hold (12 digits, 2 places): a movement whose RESULT
would not fit is refused next to the quantity, and nothing is written."""

from decimal import Decimal

import pytest

from inventory.models import SupplyInventory
from tests.factories import make_stock_item

pytestmark = pytest.mark.django_db

MAX = "9999999999.99"


def test_a_restock_that_would_take_the_total_beyond_the_maximum_is_refused(
    login, coordinator, site
):
    item = make_stock_item(by=coordinator, site=site, quantity="6")
    client = login(coordinator)

    response = client.post(f"/stock/{item.pk}/move/", {"kind": "restock", "quantity": MAX})

    assert response.status_code == 200
    (message,) = response.context["form"].errors["quantity"]
    assert "6 case on hand" in message and "above 9999999999.99" in message
    assert 'id="error_1_id_quantity"' in response.content.decode()
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("6") and item.movements.count() == 1
    # Every page that reads the item still works.
    for url in ("/stock/", "/stock/low/", f"/stock/{item.pk}/", "/stock/export.csv"):
        assert client.get(url).status_code == 200


def test_a_restock_up_to_exactly_the_maximum_is_accepted_and_readable(login, coordinator, site):
    item = make_stock_item(by=coordinator, site=site, quantity="0.01")
    client = login(coordinator)

    response = client.post(
        f"/stock/{item.pk}/move/", {"kind": "restock", "quantity": "9999999999.98"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal(MAX)
    assert item.movements.latest("pk").quantity_after == Decimal(MAX)
    for url in ("/stock/", f"/stock/{item.pk}/", "/stock/export.csv"):
        assert client.get(url).status_code == 200
    # One more hundredth is refused.
    response = client.post(f"/stock/{item.pk}/move/", {"kind": "restock", "quantity": "0.01"})
    assert response.status_code == 200 and "quantity" in response.context["form"].errors
    assert SupplyInventory.objects.get(pk=item.pk).quantity_on_hand == Decimal(MAX)


def test_an_opening_quantity_at_the_maximum_is_accepted(login, coordinator, site):
    data = {
        "site": site.pk,
        "item_name": "Paper towels",
        "sku": "PT-1",
        "category": "paper",
        "unit": "case",
        "reorder_level": "4",
        "par_level": "",
        "opening_quantity": MAX,
    }
    response = login(coordinator).post("/stock/new/", data)
    item = SupplyInventory.objects.get()
    assert response.status_code == 302
    assert item.quantity_on_hand == Decimal(MAX) and item.movements.count() == 1


def test_a_shelf_count_at_the_maximum_is_accepted(login, coordinator, site):
    item = make_stock_item(by=coordinator, site=site, quantity="6")
    client = login(coordinator)
    page = client.get(f"/stock/site/{site.pk}/count/")
    formset = page.context["formset"]
    data = {
        f"rows-{name}": value
        for name, value in formset.management_form.initial.items()
        if name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    }
    data.update({"rows-0-item": item.pk, "rows-0-quantity": MAX, "note": ""})

    response = client.post(f"/stock/site/{site.pk}/count/", data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal(MAX)
