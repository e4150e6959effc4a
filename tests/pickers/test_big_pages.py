"""With a thousand sites no page renders them: the pickers hold the chosen row only."""

import pytest
from django.urls import reverse

from sites.models import ClientSite, ServiceLevel
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SITE_COUNT = 1000


@pytest.fixture
def thousand_sites(db):
    ClientSite.objects.bulk_create(
        ClientSite(
            site_code=f"BULK-{n:04d}",
            site_name=f"Bulk Building {n:04d}",
            client_name="Bulk Holdings",
            address="1 Main Street",
            service_level=ServiceLevel.STANDARD,
        )
        for n in range(SITE_COUNT)
    )
    for n in range(30):
        make_user("Technician", username=f"tech{n:02d}")
    return ClientSite.objects.order_by("site_code")


@pytest.mark.parametrize(
    "route",
    [
        "scheduling:visit_list",
        "scheduling:board",
        "inventory:item_list",
        "inventory:low_stock",
        "inspections:inspection_list",
        "scheduling:visit_create",
        "inventory:item_create",
        "sites:site_create",
    ],
)
def test_no_page_lists_the_sites_or_the_people(login, supervisor, thousand_sites, route):
    html = login(supervisor).get(reverse(route)).content.decode()
    assert "BULK-" not in html
    assert "tech0" not in html
    # What is left: the small fixed selects (status, category, sort order, ...).
    assert html.count("<option") < 40


def test_the_filtered_visit_list_holds_the_chosen_site_only(login, supervisor, thousand_sites):
    chosen = thousand_sites[500]
    response = login(supervisor).get(reverse("scheduling:visit_list"), {"site": chosen.pk})
    html = response.content.decode()
    assert html.count("BULK-") == 2  # the box's value and the combobox's label
    assert "BULK-0501" not in html
    assert len(response.content) < 40_000


def test_the_inspection_form_lists_no_site(login, supervisor, thousand_sites):
    response = login(supervisor).get(reverse("inspections:inspection_create"))
    assert "BULK-" not in response.content.decode()
