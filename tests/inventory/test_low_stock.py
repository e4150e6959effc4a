"""The low-stock page: grouped by site, with what to order to get back to par."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
import time_machine

from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from tests.factories import StockItemFactory, make_stock_item

pytestmark = pytest.mark.django_db


def test_low_items_are_grouped_by_site_with_the_quantity_to_order(
    login, coordinator, site, other_site
):
    StockItemFactory(
        site=site, item_name="Towels", quantity_on_hand=Decimal("2"), reorder_level=Decimal("4")
    )
    StockItemFactory(
        site=site,
        item_name="Soap",
        quantity_on_hand=Decimal("1.5"),
        reorder_level=Decimal("3"),
        par_level=Decimal("10"),
    )
    StockItemFactory(site=site, item_name="Liners", quantity_on_hand=Decimal("40"))
    StockItemFactory(
        site=other_site, item_name="Gloves", quantity_on_hand=Decimal("0"), reorder_level=2
    )
    response = login(coordinator).get("/stock/low/")
    assert response.status_code == 200
    rows = {item.item_name: item.to_order for item in response.context["object_list"]}
    assert rows == {"Towels": Decimal("6"), "Soap": Decimal("8.5"), "Gloves": Decimal("4")}
    text = response.content.decode()
    assert text.index("OTHER-1 · Other Plaza") < text.index("Gloves")
    assert text.index("OWN-1 · Own Tower") < text.index("Soap") < text.index("Towels")
    assert "Liners" not in text


def test_items_forecast_to_be_low_soon_are_listed_too(login, coordinator, site):
    with time_machine.travel("2026-11-20 12:00Z", tick=False):
        item = make_stock_item(by=coordinator, site=site, quantity="20", reorder_level=5)
        stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="13", by=coordinator)
        response = login(coordinator).get("/stock/low/")
    (listed,) = response.context["object_list"]
    assert listed.pk == item.pk and listed.runs_low_soon
    assert "Runs low soon" in response.content.decode()


def test_the_low_stock_page_says_so_when_nothing_is_low(login, coordinator, site):
    StockItemFactory(site=site, quantity_on_hand=Decimal("40"))
    response = login(coordinator).get("/stock/low/")
    assert "Nothing is low" in response.content.decode()


def test_a_technician_sees_low_stock_of_assigned_sites_only(login, technician, site, other_site):
    StockItemFactory(site=site, item_name="Towels", quantity_on_hand=0)
    StockItemFactory(site=other_site, item_name="Gloves", quantity_on_hand=0)
    response = login(technician).get("/stock/low/")
    assert [i.item_name for i in response.context["object_list"]] == ["Towels"]


def test_the_navigation_badge_counts_low_items(login, coordinator, site):
    StockItemFactory(site=site, quantity_on_hand=0)
    StockItemFactory(site=site, quantity_on_hand=1)
    StockItemFactory(site=site, quantity_on_hand=40)
    response = login(coordinator).get("/stock/")
    assert response.context["low_stock_count"] == 2
    assert 'id="low-stock-badge">2<' in response.content.decode()


def test_the_export_link_exports_what_the_page_lists_low_and_soon_with_its_filters(
    login, coordinator, site, other_site
):
    with time_machine.travel("2026-11-20 12:00Z", tick=False):
        StockItemFactory(site=site, sku="LOW-1", quantity_on_hand=1, reorder_level=4)
        StockItemFactory(site=other_site, sku="LOW-2", quantity_on_hand=1, reorder_level=4)
        soon = make_stock_item(by=coordinator, site=site, sku="SOON-1", quantity="20")
        stock_apply_movement(item=soon, kind=MovementKind.USAGE, quantity="13", by=coordinator)
        StockItemFactory(site=site, sku="FINE-1", quantity_on_hand=40)
        client = login(coordinator)

        for query, expected in [
            ({}, {"LOW-1", "LOW-2", "SOON-1"}),
            ({"site": site.pk}, {"LOW-1", "SOON-1"}),
        ]:
            page = client.get("/stock/low/", {**query, "page": 1})
            listed = {item.sku for item in page.context["object_list"]}
            link = re.search(r'href="(/stock/export\.csv\?[^"]*)"', page.content.decode()).group(1)
            export = client.get(html.unescape(link))
            body = b"".join(export.streaming_content).decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(body)))

            assert listed == expected
            assert {row["sku"] for row in rows} == listed


def test_low_and_soon_together_on_the_stock_list_mean_either(login, coordinator, site):
    with time_machine.travel("2026-11-20 12:00Z", tick=False):
        StockItemFactory(site=site, sku="LOW-1", quantity_on_hand=1, reorder_level=4)
        soon = make_stock_item(by=coordinator, site=site, sku="SOON-1", quantity="20")
        stock_apply_movement(item=soon, kind=MovementKind.USAGE, quantity="13", by=coordinator)
        StockItemFactory(site=site, sku="FINE-1", quantity_on_hand=40)
        client = login(coordinator)

        def listed(query):
            return {item.sku for item in client.get("/stock/", query).context["object_list"]}

        assert listed({"low": "1"}) == {"LOW-1"}
        assert listed({"soon": "1"}) == {"SOON-1"}
        assert listed({"low": "1", "soon": "1"}) == {"LOW-1", "SOON-1"}
        assert listed({}) == {"LOW-1", "SOON-1", "FINE-1"}
