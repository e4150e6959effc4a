"""The stock list's and the low-stock page's rows, built in Python (inventory/rows.py), write
what the templates wrote: "about N days" left (a dash without usage), the low / runs-low-soon
badge partial, quantities without trailing zeros, the item link, every value escaped."""

from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from pytest_django.asserts import assertContains, assertNotContains

from inventory.models import Category, MovementKind, Unit
from inventory.services import stock_apply_movement
from tests.factories import ClientSiteFactory, StockItemFactory, make_stock_item
from tests.scheduling.helpers import queries_for

pytestmark = pytest.mark.django_db

NASTY = '<b>&"'
ESCAPED = "&lt;b&gt;&amp;&quot;"


def status_partial(item):
    """The status cell as the item page's partial renders it."""
    return render_to_string("inventory/includes/_stock_status.html", {"item": item})


@pytest.fixture
def used_item(coordinator, site):
    """An item used 13 of 20 in the window: runs low soon (the forecast's warning)."""
    with time_machine.travel("2026-11-20 12:00Z", tick=False):
        item = make_stock_item(
            by=coordinator,
            site=site,
            item_name="Towels",
            sku="TW-1",
            quantity="20",
            reorder_level=5,
        )
        stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="13", by=coordinator)
    return item


def test_a_stock_row_has_every_column_and_the_partials_badges(login, coordinator, site):
    item = StockItemFactory(
        site=site,
        item_name="Foam soap",
        sku="SOAP-1",
        category=Category.SOAP,
        unit=Unit.CASE,
        quantity_on_hand=Decimal("2.50"),
        reorder_level=Decimal("3.00"),
    )
    response = login(coordinator).get("/stock/")
    (listed,) = response.context["object_list"]
    status = status_partial(listed)
    assert "Low" in status
    assertContains(
        response,
        f'<tr><td data-label="Item"><a href="{item.get_absolute_url()}">Foam soap</a> '
        f'<span class="small text-body-secondary">SOAP-1</span></td>'
        f'<td data-label="Site">OWN-1</td>'
        f'<td data-label="Category">{listed.get_category_display()}</td>'
        f'<td data-label="On hand" class="text-md-end">2.5 {listed.get_unit_display()}</td>'
        f'<td data-label="Reorder at" class="text-md-end">3</td>'
        f'<td data-label="Used per day" class="text-md-end">0</td>'
        '<td data-label="Runs out in"><span class="text-body-secondary">—</span></td>'
        f'<td data-label="Status">{status}</td></tr>',
        html=True,
    )


def test_runs_low_soon_and_days_left_read_as_the_partials_write_them(login, coordinator, used_item):
    with time_machine.travel("2026-11-20 13:00Z", tick=False):
        for url in ("/stock/", "/stock/low/"):
            response = login(coordinator).get(url)
            (listed,) = response.context["object_list"]
            status = status_partial(listed)
            assert "Runs low soon" in status
            # 7 left, 13 used over the 30-day window: about 16 days.
            assert round(listed.days_left) == 16
            assertContains(response, '<td data-label="Runs out in">about 16 days</td>', html=True)
            assertContains(response, f'<td data-label="Status">{status}</td>', html=True)


def test_a_low_stock_row_has_par_and_what_to_order(login, coordinator, site, other_site):
    StockItemFactory(
        site=site,
        item_name="Soap",
        quantity_on_hand=Decimal("1.5"),
        reorder_level=Decimal("3"),
        par_level=Decimal("10"),
        unit=Unit.BOTTLE,
    )
    gloves = StockItemFactory(
        site=other_site, item_name="Gloves", quantity_on_hand=0, reorder_level=2
    )
    response = login(coordinator).get("/stock/low/")
    soap = next(i for i in response.context["object_list"] if i.item_name == "Soap")
    unit = soap.get_unit_display()
    assertContains(
        response,
        f'<td data-label="On hand" class="text-md-end">1.5 {unit}</td>'
        f'<td data-label="Reorder at" class="text-md-end">3</td>'
        f'<td data-label="Par" class="text-md-end">10</td>'
        f'<td data-label="To order" class="text-md-end fw-semibold">8.5 {unit}</td>',
    )
    # One section per site, headed by the site's link, its rows under it.
    html = response.content.decode()
    assert html.count('<section class="card mb-3"') == 2
    other, own = (
        html.index(f'id="low-site-{other_site.pk}"'),
        html.index(f'id="low-site-{site.pk}"'),
    )
    assert other < html.index(gloves.get_absolute_url()) < own < html.index(soap.get_absolute_url())
    assert "OTHER-1 · Other Plaza</a></h2>" in html


def test_stock_rows_escape_names_and_skus(login, coordinator):
    nasty_site = ClientSiteFactory(site_code="ESC-1", site_name=NASTY)
    StockItemFactory(site=nasty_site, item_name=NASTY, sku="A&B", quantity_on_hand=0)
    for url in ("/stock/", "/stock/low/"):
        response = login(coordinator).get(url)
        assertContains(response, f">{ESCAPED}</a> ")
        assertContains(response, ">A&amp;B</span>")
        assertNotContains(response, NASTY)


@pytest.mark.parametrize("url", ["/stock/?per_page=100", "/stock/low/?per_page=100"])
def test_stock_queries_do_not_grow_with_the_rows(login, coordinator, site, other_site, url):
    client = login(coordinator)
    StockItemFactory(site=site, quantity_on_hand=0)
    _, few = queries_for(client, url)
    for n in range(30):
        StockItemFactory(site=other_site if n % 2 else site, quantity_on_hand=n % 3)
    response, many = queries_for(client, url)
    assert len(response.context["object_list"]) > 10
    assert many == few
