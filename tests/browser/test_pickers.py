"""The pickers in a real browser: a searchable combobox that loads its options as one types."""

import re

import pytest
from playwright.sync_api import expect

from janitorial_crm.roles import Role
from tests.browser.conftest import DESKTOP
from tests.factories import ClientSiteFactory, VisitFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]


def test_a_coordinator_filters_the_visit_list_by_a_site_found_by_typing(open_page):
    coordinator = make_user(Role.COORDINATOR, username="carla")
    technician = make_user(Role.TECHNICIAN, username="tomas", full_name="Tomas Technician")
    harbour = ClientSiteFactory(site_code="HQ-7", site_name="Harbour Quay Seven")
    for n in range(24):
        site = ClientSiteFactory(site_code=f"ST-{n:02d}", site_name=f"Street {n:02d}")
        VisitFactory(site=site, assigned_to=technician)
    VisitFactory(site=harbour, assigned_to=technician)

    page = open_page(viewport=DESKTOP, user=coordinator)
    page.set_default_timeout(5_000)
    page.goto("/visits/")
    street = page.get_by_role("cell", name="ST-00 · Street 00")
    expect(street).to_be_visible()

    combobox = page.get_by_role("combobox", name="Site")
    combobox.focus()  # keyboard users tab in; the list opens on focus
    # Focus loads the first 20 by name (Harbour first), not the 25 sites.
    expect(page.get_by_role("option", name=re.compile("·"))).to_have_count(20)
    combobox.press_sequentially("harb")
    option = page.get_by_role("option", name="HQ-7 · Harbour Quay Seven")
    expect(option).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Street"))).to_have_count(0)
    option.click()
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(rf"[?&]site={harbour.pk}(&|$)"))
    expect(page.get_by_role("cell", name="HQ-7 · Harbour Quay Seven")).to_be_visible()
    expect(street).to_have_count(0)
    # The filtered page shows the chosen site in the picker again.
    expect(page.locator(".ts-control .item").first).to_have_text("HQ-7 · Harbour Quay Seven")
