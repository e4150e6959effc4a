"""Ids read from query strings and hidden inputs: anything that is not a plain ASCII number of
sane length is ignored or refused with a message, never a 500."""

from decimal import Decimal

import pytest

from inventory.models import StockMovement
from tests.factories import make_stock_item

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "٣", "9" * 5000, "99999999999999999999", "-1", "0", "1.0"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_new_item_form_ignores_a_site_that_is_not_an_id(login, coordinator, site, value):
    response = login(coordinator).get("/stock/new/", {"site": value})

    assert response.status_code == 200
    assert "site" not in response.context["form"].initial


def test_the_new_item_form_preselects_the_site_it_is_given(login, coordinator, site):
    response = login(coordinator).get("/stock/new/", {"site": str(site.pk)})

    assert response.context["form"].initial["site"] == site.pk


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_field_count_row_whose_item_is_not_an_id_is_refused(
    login, technician, coordinator, site, value
):
    item = make_stock_item(by=coordinator, site=site, quantity="10")
    data = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1",
        "rows-0-item": value,
        "rows-0-quantity": "2",
        "note": "",
    }

    response = login(technician).post(f"/stock/site/{site.pk}/usage/", data)

    assert response.status_code == 200
    (row,) = response.context["formset"].forms
    assert "Select a valid choice" in " ".join(row.errors["item"])
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("10")
    assert StockMovement.objects.count() == 1
