"""Stock over the API: quantities change only by movements, through the portal's service;
POSTs are safe to retry with an Idempotency-Key."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import StockMovement
from tests.factories import StockItemFactory

pytestmark = pytest.mark.django_db

ITEMS = reverse("api:v1:stock-item-list")


def movements(item):
    return reverse("api:v1:stock-item-movements", args=[item.pk])


@pytest.fixture
def item(site):
    return StockItemFactory(site=site, quantity_on_hand=Decimal("10"), reorder_level=Decimal("2"))


@pytest.fixture
def other_item(other_site):
    return StockItemFactory(site=other_site, quantity_on_hand=Decimal("5"))


def test_a_technician_sees_stock_at_their_sites_only(api, technician, item, other_item):
    response = api(technician).get(ITEMS)

    assert [row["id"] for row in response.json()["results"]] == [item.pk]
    assert api(technician).get(movements(other_item)).status_code == 404


def test_a_technician_records_usage_and_the_ledger_shows_it(api, technician, item):
    client = api(technician)

    response = client.post(movements(item), {"kind": "usage", "quantity": "3", "note": "2F"})

    assert response.status_code == 201, response.json()
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("7")
    ledger = client.get(movements(item)).json()["results"]
    assert [(row["kind"], row["quantity_after"]) for row in ledger] == [("usage", "7.00")]


def test_a_technician_may_not_restock(api, technician, item):
    response = api(technician).post(movements(item), {"kind": "restock", "quantity": "3"})

    assert response.status_code == 403
    assert not StockMovement.objects.exists()


def test_usage_beyond_what_is_on_hand_is_refused_and_nothing_changes(api, coordinator, item):
    response = api(coordinator).post(movements(item), {"kind": "usage", "quantity": "11"})

    assert response.status_code == 400
    assert response.json()["errors"]
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("10")


@pytest.mark.parametrize("quantity", ["abc", "-1", "1.234", "1e400", "NaN", "9" * 40])
def test_junk_quantities_are_field_errors(api, coordinator, item, quantity):
    response = api(coordinator).post(movements(item), {"kind": "restock", "quantity": quantity})

    assert response.status_code == 400
    assert "quantity" in response.json()["errors"]
    assert not StockMovement.objects.exists()


def test_a_quantity_cannot_be_patched(api, coordinator, item):
    response = api(coordinator).patch(
        reverse("api:v1:stock-item-detail", args=[item.pk]), {"quantity_on_hand": "999"}
    )

    assert response.status_code == 405
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("10")


def test_a_retried_post_with_the_same_key_writes_once_and_answers_the_same(api, coordinator, item):
    client = api(coordinator)
    body = {"kind": "restock", "quantity": "4"}

    first = client.post(movements(item), body, HTTP_IDEMPOTENCY_KEY="phone-42")
    again = client.post(movements(item), body, HTTP_IDEMPOTENCY_KEY="phone-42")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    item.refresh_from_db()
    assert (item.quantity_on_hand, StockMovement.objects.count()) == (Decimal("14"), 1)


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(api, coordinator, item):
    client = api(coordinator)
    client.post(movements(item), {"kind": "restock", "quantity": "4"}, HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post(
        movements(item), {"kind": "restock", "quantity": "5"}, HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert response.status_code == 422
    assert StockMovement.objects.count() == 1


def test_a_refused_post_is_not_remembered_so_a_corrected_retry_runs(api, coordinator, item):
    client = api(coordinator)
    refused = client.post(
        movements(item), {"kind": "usage", "quantity": "50"}, HTTP_IDEMPOTENCY_KEY="k2"
    )
    again = client.post(
        movements(item), {"kind": "usage", "quantity": "50"}, HTTP_IDEMPOTENCY_KEY="k2"
    )

    assert (refused.status_code, again.status_code) == (400, 400)
    assert not StockMovement.objects.exists()


def test_keys_belong_to_their_user(api, coordinator, supervisor, item):
    body = {"kind": "restock", "quantity": "1"}
    api(coordinator).post(movements(item), body, HTTP_IDEMPOTENCY_KEY="shared")
    api(supervisor).post(movements(item), body, HTTP_IDEMPOTENCY_KEY="shared")

    assert StockMovement.objects.count() == 2


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there"])
def test_a_malformed_key_is_a_400(api, coordinator, item, key):
    response = api(coordinator).post(
        movements(item), {"kind": "restock", "quantity": "1"}, HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert not StockMovement.objects.exists()


def test_an_item_answer_carries_an_etag_that_changes_with_the_item(api, coordinator, item):
    client = api(coordinator)
    url = reverse("api:v1:stock-item-detail", args=[item.pk])
    before = client.get(url)["ETag"]

    client.post(movements(item), {"kind": "restock", "quantity": "1"})

    assert client.get(url)["ETag"] != before


def test_the_stock_list_costs_the_same_for_20_and_200_items(
    api, coordinator, site, django_assert_max_num_queries
):
    client = api(coordinator)
    StockItemFactory.create_batch(20, site=site)
    with django_assert_max_num_queries(8) as few:
        client.get(ITEMS)
    StockItemFactory.create_batch(180, site=site)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ITEMS, {"page_size": 200, "ordering": "quantity"})
    assert len(response.json()["results"]) == 200


def test_the_ledger_costs_the_same_for_20_and_200_movements(
    api, coordinator, item, django_assert_max_num_queries
):
    from inventory.models import MovementKind
    from inventory.services import stock_apply_movement

    client = api(coordinator)
    url = movements(item)

    def record(count):
        for _ in range(count):
            stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity=1, by=coordinator)

    record(20)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    record(180)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"page_size": 200})
    assert len(response.json()["results"]) == 200
