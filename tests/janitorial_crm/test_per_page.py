"""`?per_page=` on the list pages: 25 (the default), 50 or 100 rows; anything else is the default,
never an error; the choice survives the page links, the per-page selector and the filter form.
And every list runs the same number of queries for 2 rows as for 60."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    StockItemFactory,
    VisitFactory,
)
from tests.scheduling.helpers import queries_for

pytestmark = pytest.mark.django_db

VISITS = reverse("scheduling:visit_list")
ROW = re.compile(r'<tr class="visit-row ')


def rows_shown(response):
    return len(ROW.findall(response.content.decode()))


@pytest.fixture
def sixty_visits(site, technician):
    return VisitFactory.create_batch(60, site=site, assigned_to=technician)


@pytest.mark.parametrize(("asked", "shown"), [("", 25), ("25", 25), ("50", 50), ("100", 60)])
def test_visit_list_shows_the_chosen_number_of_rows(login, coordinator, sixty_visits, asked, shown):
    response = login(coordinator).get(VISITS, {"per_page": asked} if asked else {})
    assert response.status_code == 200
    assert rows_shown(response) == shown
    assert response.context["paginator"].per_page == (int(asked) if asked else 25)


@pytest.mark.parametrize(
    "junk", ["abc", "0", "-25", "26", "1000", "50.0", " 50", "5_0", "５０", "100" * 30, ""]
)
def test_a_page_size_not_offered_is_the_default_not_an_error(
    login, coordinator, sixty_visits, junk
):
    response = login(coordinator).get(VISITS, {"per_page": junk})
    assert response.status_code == 200
    assert rows_shown(response) == 25
    assert 'name="per_page" value=' not in response.content.decode()  # no hidden field


def test_the_page_links_keep_the_page_size(login, coordinator, sixty_visits):
    client = login(coordinator)
    page = client.get(VISITS, {"per_page": "50", "status": "scheduled"}).content.decode()
    assert 'href="?per_page=50&amp;status=scheduled&amp;page=2"' in page
    second = client.get(VISITS, {"per_page": "50", "status": "scheduled", "page": "2"})
    assert rows_shown(second) == 10


def test_the_selector_keeps_the_filters_and_marks_the_current_size(
    login, coordinator, sixty_visits
):
    page = login(coordinator).get(VISITS, {"per_page": "50", "status": "scheduled", "page": "2"})
    html = page.content.decode()
    form = html[html.index('<form method="get" class="per-page-form') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="status" value="scheduled">' in form
    assert 'name="page"' not in form  # a new size starts at page 1
    assert '<option value="50" selected>50</option>' in form
    assert '<option value="100">100</option>' in form


def test_the_filter_form_keeps_a_chosen_page_size(login, coordinator, sixty_visits):
    client = login(coordinator)
    chosen = client.get(VISITS, {"per_page": "100"}).content.decode()
    assert '<input type="hidden" name="per_page" value="100"' in chosen
    default = client.get(VISITS).content.decode()
    assert 'type="hidden" name="per_page"' not in default


def test_the_quick_filters_keep_a_chosen_page_size(login, coordinator, sixty_visits):
    client = login(coordinator)
    chosen = client.get(VISITS, {"per_page": "50"}).content.decode()
    assert chosen.count('&amp;per_page=50">') == 3  # Today, Upcoming, Missed
    default = client.get(VISITS).content.decode()
    assert 'href="?status=missed&amp;ordering=-service_date">' in default


def test_no_selector_when_every_row_fits_on_the_smallest_page(login, coordinator, site, technician):
    VisitFactory.create_batch(3, site=site, assigned_to=technician)
    html = login(coordinator).get(VISITS).content.decode()
    assert "per-page-form" not in html


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("portal:site_list", lambda n: ClientSiteFactory.create_batch(n)),
        (
            "inventory:item_list",
            lambda n: StockItemFactory.create_batch(n, site=ClientSiteFactory()),
        ),
        (
            "inventory:low_stock",
            lambda n: StockItemFactory.create_batch(
                n, site=ClientSiteFactory(), quantity_on_hand=Decimal("1")
            ),
        ),
        ("inspections:inspection_list", lambda n: InspectionFactory.create_batch(n)),
    ],
)
def test_other_lists_take_the_page_size(login, coordinator, url_name, make):
    make(30)
    client = login(coordinator)
    assert client.get(reverse(url_name)).context["paginator"].per_page == 25
    response = client.get(reverse(url_name), {"per_page": "50"})
    assert response.status_code == 200
    assert response.context["paginator"].per_page == 50
    assert len(response.context["object_list"]) >= 30
    assert client.get(reverse(url_name), {"per_page": "x"}).status_code == 200


def test_the_item_ledger_takes_the_page_size(login, coordinator, site):
    item = StockItemFactory(site=site, quantity_on_hand=Decimal("0"))
    for _ in range(30):
        stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity=1, by=coordinator)
    client = login(coordinator)
    url = reverse("inventory:item_detail", kwargs={"pk": item.pk})
    assert len(client.get(url).context["movements"]) == 25
    page = client.get(url, {"per_page": "50"})
    assert len(page.context["movements"]) == 30
    assert len(client.get(url, {"per_page": "7"}).context["movements"]) == 25


# -- a constant number of queries however many rows a page shows -------------------------------


def _visits(n, site, technician):
    VisitFactory.create_batch(n, site=site, assigned_to=technician)
    VisitFactory.create_batch(n)  # other sites, other technicians


def _sites(n, site, technician):
    ClientSiteFactory.create_batch(n)


def _stock(n, site, technician):
    StockItemFactory.create_batch(n, quantity_on_hand=Decimal("1"))


def _inspections(n, site, technician):
    InspectionFactory.create_batch(n, corrective_actions="Re-mop the lobby.")


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("scheduling:visit_list", _visits),
        ("portal:site_list", _sites),
        ("inventory:item_list", _stock),
        ("inventory:low_stock", _stock),
        ("inspections:inspection_list", _inspections),
    ],
)
def test_a_list_runs_as_many_queries_for_60_rows_as_for_2(
    login, coordinator, site, technician, url_name, make
):
    client = login(coordinator)
    url = f"{reverse(url_name)}?per_page=100"
    make(2, site, technician)
    client.get(url)  # one-off caches (content types, the session) do not count
    few_response, few = queries_for(client, url)
    make(58, site, technician)
    many_response, many = queries_for(client, url)
    assert len(many_response.context["object_list"]) > len(few_response.context["object_list"])
    assert many == few
