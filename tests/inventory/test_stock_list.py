"""The stock list: search, filters, sorting, pagination, CSV, and a constant query count."""

import csv
import io
from decimal import Decimal

import pytest

from inventory.models import Category
from tests.factories import ClientSiteFactory, StockItemFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [item.item_name for item in response.context["object_list"]]


@pytest.fixture
def shelf(site, other_site):
    return {
        "towels": StockItemFactory(
            site=site, item_name="Paper towels", sku="PT-1", quantity_on_hand=Decimal("3")
        ),
        "liners": StockItemFactory(
            site=site,
            item_name="Can liners",
            sku="LN-33",
            category=Category.LINERS,
            quantity_on_hand=Decimal("40"),
        ),
        "soap": StockItemFactory(
            site=other_site,
            item_name="Foam soap",
            sku="SOAP-1",
            category=Category.SOAP,
            quantity_on_hand=Decimal("12.5"),
        ),
    }


def test_coordinator_sees_stock_of_every_site(login, coordinator, shelf):
    response = login(coordinator).get("/stock/")
    assert response.status_code == 200
    assert sorted(names(response)) == ["Can liners", "Foam soap", "Paper towels"]


def test_technician_sees_only_the_stock_of_assigned_sites(login, technician, shelf):
    assert sorted(names(login(technician).get("/stock/"))) == ["Can liners", "Paper towels"]


def test_search_matches_name_sku_and_site(login, coordinator, shelf):
    client = login(coordinator)
    assert names(client.get("/stock/", {"q": "towel"})) == ["Paper towels"]
    assert names(client.get("/stock/", {"q": "ln-3"})) == ["Can liners"]
    assert names(client.get("/stock/", {"q": "OTHER-1"})) == ["Foam soap"]


def test_filters_by_site_category_and_low(login, coordinator, shelf, site):
    client = login(coordinator)
    assert sorted(names(client.get("/stock/", {"site": site.pk}))) == [
        "Can liners",
        "Paper towels",
    ]
    assert names(client.get("/stock/", {"category": "soap"})) == ["Foam soap"]
    assert names(client.get("/stock/", {"low": "1"})) == ["Paper towels"]


def test_a_site_filtered_list_is_headed_with_the_site_and_offers_the_field_count(
    login, technician, shelf, site
):
    response = login(technician).get("/stock/", {"site": site.pk})
    text = response.content.decode()
    assert "Stock at OWN-1" in text
    assert f"/stock/site/{site.pk}/usage/" in text


def test_a_technician_cannot_filter_on_a_site_outside_their_scope(
    login, technician, shelf, other_site
):
    response = login(technician).get("/stock/", {"site": other_site.pk})
    assert "Foam soap" not in names(response)


def test_sorts_by_quantity_both_ways(login, coordinator, shelf):
    client = login(coordinator)
    assert names(client.get("/stock/", {"ordering": "quantity"})) == [
        "Paper towels",
        "Foam soap",
        "Can liners",
    ]
    assert names(client.get("/stock/", {"ordering": "-quantity"})) == [
        "Can liners",
        "Foam soap",
        "Paper towels",
    ]


def test_csv_export_has_the_filtered_rows_of_every_page(login, coordinator, site):
    for n in range(30):
        StockItemFactory(site=site, item_name=f"Gloves {n:02d}", category=Category.PPE)
    StockItemFactory(site=site, item_name="=HYPERLINK(evil)", category=Category.OTHER)
    client = login(coordinator)
    response = client.get("/stock/export.csv", {"category": "ppe"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["site_code", "site_name", "sku", "item"]
    assert len(rows) == 31
    assert {row[0] for row in rows[1:]} == {"OWN-1"}
    other = client.get("/stock/export.csv", {"category": "other"})
    (row,) = list(csv.reader(io.StringIO(b"".join(other.streaming_content).decode())))[1:]
    assert row[3] == "'=HYPERLINK(evil)"


def test_csv_export_is_scoped_to_the_user(login, technician, shelf):
    response = login(technician).get("/stock/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "Paper towels" in body and "Foam soap" not in body


def test_the_list_paginates(login, coordinator, site):
    for n in range(30):
        StockItemFactory(site=site, item_name=f"Item {n:02d}")
    client = login(coordinator)
    first = client.get("/stock/", {"ordering": "item"})
    second = client.get("/stock/", {"ordering": "item", "page": 2})
    assert len(names(first)) == 25 and len(names(second)) == 5
    assert not set(names(first)) & set(names(second))


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/stock/", {}),
        ("/stock/", {"ordering": "days_left", "low": "1", "q": "item"}),
        ("/stock/low/", {}),
        ("/stock/export.csv", {}),
    ],
)
@pytest.mark.parametrize("rows", [3, 60])
def test_stock_lists_run_a_constant_number_of_queries(
    login, coordinator, django_assert_max_num_queries, url, params, rows
):
    for n in range(rows):
        if n % 10 == 0:
            current = ClientSiteFactory()
        StockItemFactory(
            site=current, item_name=f"Item {n}", quantity_on_hand=Decimal(n % 7), reorder_level=3
        )
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
