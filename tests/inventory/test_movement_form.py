"""The per-item movement form: restock, usage or correction by coordinators and supervisors."""

from decimal import Decimal

import pytest

from inventory.models import MovementKind
from tests.factories import make_stock_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(coordinator, site):
    return make_stock_item(by=coordinator, site=site, quantity="10")


@pytest.mark.parametrize(
    ("kind", "quantity", "after"),
    [("restock", "5", "15"), ("usage", "2.25", "7.75"), ("correction", "9", "9")],
)
def test_a_coordinator_records_a_movement(login, coordinator, item, kind, quantity, after):
    client = login(coordinator)
    assert client.get(f"/stock/{item.pk}/move/", {"kind": kind}).status_code == 200
    response = client.post(
        f"/stock/{item.pk}/move/", {"kind": kind, "quantity": quantity, "note": "delivery"}
    )
    assert response.status_code == 302 and response["Location"] == f"/stock/{item.pk}/"
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal(after)
    latest = item.movements.latest("pk")
    assert (latest.kind, latest.created_by, latest.note) == (kind, coordinator, "delivery")


def test_the_item_page_shows_the_ledger_newest_first_and_paginated(login, supervisor, item):
    from inventory.services import stock_apply_movement

    for _ in range(30):
        stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="1", by=supervisor)
    client = login(supervisor)
    first = client.get(f"/stock/{item.pk}/")
    assert first.context["is_paginated"]
    assert [m.quantity_after for m in first.context["movements"]][:2] == [40, 39]
    last = client.get(f"/stock/{item.pk}/", {"page": 2})
    assert [m.quantity_after for m in last.context["movements"]][-1] == 10
    assert first.context["can_adjust"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "usage", "quantity": "11"}, "Only 10 case on hand"),
        ({"kind": "usage", "quantity": "0"}, "above zero"),
        ({"kind": "restock", "quantity": "-3"}, "greater than or equal to 0"),
        ({"kind": "restock", "quantity": "three"}, "Enter a number"),
        ({"kind": "restock", "quantity": "1.234"}, "2 decimal places"),
    ],
)
def test_refused_quantities_are_shown_next_to_the_field(login, coordinator, item, data, message):
    response = login(coordinator).post(f"/stock/{item.pk}/move/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["quantity"])
    assert 'id="error_1_id_quantity"' in response.content.decode()
    item.refresh_from_db()
    assert item.quantity_on_hand == 10 and item.movements.count() == 1


def test_a_technician_may_not_use_the_movement_form(
    login, technician, item, coordinator, other_site
):
    client = login(technician)
    assert client.get(f"/stock/{item.pk}/move/").status_code == 403
    assert (
        client.post(f"/stock/{item.pk}/move/", {"kind": "restock", "quantity": "5"}).status_code
        == 403
    )
    elsewhere = make_stock_item(by=coordinator, site=other_site, quantity="1")
    assert client.get(f"/stock/{elsewhere.pk}/move/").status_code == 404
    item.refresh_from_db()
    assert item.quantity_on_hand == 10
