"""`{% site_low_stock site %}`: the site hub's low-stock section."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import StockItemFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load inventory_tags %}{% site_low_stock site %}")


def render(user, site):
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"request": request, "site": site, "perms": None}))


@pytest.fixture
def low_items(site, other_site):
    StockItemFactory(site=site, item_name="Towels", quantity_on_hand=Decimal("1"), reorder_level=3)
    StockItemFactory(site=site, item_name="Liners", quantity_on_hand=Decimal("30"))
    StockItemFactory(site=other_site, item_name="Gloves", quantity_on_hand=Decimal("0"))


def test_staff_see_the_low_items_of_the_site_with_what_to_order(coordinator, site, low_items):
    html = render(coordinator, site)
    assert "Towels" in html and "order 5" in html
    assert "Liners" not in html and "Gloves" not in html
    assert f"/stock/site/{site.pk}/usage/" in html


def test_a_technician_of_the_site_sees_it_and_may_record_usage(technician, site, low_items):
    html = render(technician, site)
    assert "Towels" in html and f"/stock/site/{site.pk}/usage/" in html


def test_an_inspector_sees_it_without_the_usage_link(inspector, site, low_items):
    html = render(inspector, site)
    assert "Towels" in html and "/usage/" not in html


def test_a_client_gets_nothing(client_user, site, low_items):
    assert render(client_user, site).strip() == ""


def test_the_empty_state(coordinator, other_site):
    assert "Nothing yet." in render(coordinator, other_site)


def test_the_section_links_to_the_rest_when_there_are_many(coordinator, site):
    for n in range(12):
        StockItemFactory(site=site, item_name=f"Low {n:02d}", quantity_on_hand=0)
    html = render(coordinator, site)
    assert html.count("list-group-item") == 10
    assert f"?site={site.pk}&amp;low=1" in html


@pytest.mark.parametrize("rows", [1, 30])
def test_the_tag_runs_a_constant_number_of_queries(
    technician, site, django_assert_max_num_queries, rows
):
    for n in range(rows):
        StockItemFactory(site=site, item_name=f"Low {n:02d}", quantity_on_hand=0)
    render(technician, site)  # warms the permission cache as a real page would have
    with django_assert_max_num_queries(3):
        render(technician, site)
