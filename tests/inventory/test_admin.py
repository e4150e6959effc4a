"""The stock inlines in the admin: a constant number of queries however many rows, and an
item's page lists its latest movements only (the portal has the whole ledger)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.admin import LEDGER_ROWS_IN_ADMIN
from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from tests.factories import ClientSiteFactory, StockItemFactory, make_stock_item, make_user

pytestmark = pytest.mark.django_db


def queries_to_get(client, url):
    client.get(url)  # warm up sessions, permissions and content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def item_with_movements(site, by, count):
    item = make_stock_item(by=by, site=site, quantity="1")
    for _ in range(count - 1):
        stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="1", by=by)
    return item


def test_an_items_admin_page_runs_the_same_queries_for_3_or_60_movements(
    login, superuser, coordinator, site
):
    # Several recorders, so that a per-row user query would show.
    recorders = [coordinator, *(make_user("Coordinator") for _ in range(3))]
    few = item_with_movements(site, coordinator, 3)
    many = make_stock_item(by=coordinator, site=site, quantity="1")
    for n in range(59):
        stock_apply_movement(
            item=many, kind=MovementKind.RESTOCK, quantity="1", by=recorders[n % 4]
        )
    client = login(superuser)

    few_queries, _ = queries_to_get(
        client, reverse("admin:inventory_supplyinventory_change", args=[few.pk])
    )
    many_queries, response = queries_to_get(
        client, reverse("admin:inventory_supplyinventory_change", args=[many.pk])
    )

    assert many_queries == few_queries
    formset = response.context["inline_admin_formsets"][0].formset
    shown = [form.instance.quantity_after for form in formset.forms]
    assert len(shown) == LEDGER_ROWS_IN_ADMIN
    assert shown[0] == 60 and shown[-1] == 60 - LEDGER_ROWS_IN_ADMIN + 1  # the newest
    assert f'href="/stock/{many.pk}/"' in response.content.decode()


def test_a_sites_admin_page_runs_the_same_queries_for_2_or_12_items(login, superuser):
    small, large = ClientSiteFactory(), ClientSiteFactory()
    for n in range(2):
        StockItemFactory(site=small, item_name=f"Item {n}")
    for n in range(12):
        StockItemFactory(site=large, item_name=f"Item {n}")
    client = login(superuser)

    few, _ = queries_to_get(client, reverse("admin:sites_clientsite_change", args=[small.pk]))
    many, response = queries_to_get(
        client, reverse("admin:sites_clientsite_change", args=[large.pk])
    )

    assert many == few
    assert "Item 11" in response.content.decode()
