"""The site list's rows, built in Python (portal/rows.py), write what the template wrote: links
by site code, the service level, low stock and last inspection for the office, the address
for clients, the active badge, every value escaped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import ClientSiteFactory, InspectionFactory, StockItemFactory
from tests.scheduling.helpers import queries_for

pytestmark = pytest.mark.django_db

URL = reverse("portal:site_list")
NASTY = '<b>&"'
ESCAPED = "&lt;b&gt;&amp;&quot;"


def test_an_office_row_has_links_level_low_stock_and_last_inspection(login, coordinator, site):
    for _ in range(2):
        StockItemFactory(site=site, quantity_on_hand=Decimal("1"), reorder_level=Decimal("5"))
    inspected = timezone.now() - dt.timedelta(days=3)
    InspectionFactory(site=site, inspection_date=inspected)
    response = login(coordinator).get(URL)
    day = Template('{{ v|date:"SHORT_DATE_FORMAT" }}').render(Context({"v": inspected}))
    stock = reverse("inventory:item_list")
    url = site.get_absolute_url()
    assertContains(
        response,
        f'<tr><td data-label="Code"><a class="fw-semibold" href="{url}">OWN-1</a></td>'
        f'<td data-label="Site"><a href="{url}">Own Tower</a></td>'
        f'<td data-label="Client">{site.client_name}</td>'
        f'<td data-label="Service level">{site.get_service_level_display()}</td>'
        f'<td data-label="Low stock"><a class="badge text-bg-warning" '
        f'href="{stock}?site={site.pk}&amp;low=1">2 items</a></td>'
        f'<td data-label="Last inspection">{day}</td>'
        f'<td data-label="Status"><span class="badge text-bg-success">Active</span></td></tr>',
        html=True,
    )


def test_a_site_never_inspected_nor_low_says_so(login, coordinator, other_site):
    other_site.active = False
    other_site.save()
    response = login(coordinator).get(URL, {"active": ""})
    assertContains(
        response,
        '<td data-label="Low stock"><span class="text-body-secondary">—</span></td>'
        '<td data-label="Last inspection"><span class="text-body-secondary">Never</span></td>'
        '<td data-label="Status"><span class="badge text-bg-secondary">Inactive</span></td>',
        html=True,
    )


def test_a_client_row_shows_the_address_with_line_breaks(login, client_user, site):
    site.address = "1 Main St\nSpringfield & Co"
    site.save()
    response = login(client_user).get(URL)
    assertContains(
        response,
        '<td data-label="Address">1 Main St<br>Springfield &amp; Co</td>',
        html=True,
    )
    assertNotContains(response, 'data-label="Low stock"')


def test_the_site_list_escapes_names(login, coordinator):
    ClientSiteFactory(site_code="ESC-1", site_name=NASTY, client_name=NASTY)
    response = login(coordinator).get(URL)
    assertContains(response, f">{ESCAPED}</a></td>")
    assertContains(response, f'<td data-label="Client">{ESCAPED}</td>')
    assertNotContains(response, NASTY)


def test_the_site_list_queries_do_not_grow_with_its_rows(login, coordinator, site):
    client = login(coordinator)
    _, few = queries_for(client, f"{URL}?per_page=100")
    for n in range(30):
        other = ClientSiteFactory()
        if n % 3 == 0:
            StockItemFactory(site=other, quantity_on_hand=0)
            InspectionFactory(site=other)
    response, many = queries_for(client, f"{URL}?per_page=100")
    assert len(response.context["object_list"]) == 31
    assert many == few
