"""The coordinator at a desk: a new site, a weekly visit on the board, a low item restocked."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inventory.models import MovementKind, StockMovement
from janitorial_crm.roles import Role
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from sites.models import ClientSite, ServiceLevel
from tests.browser.conftest import DESKTOP
from tests.browser.pickers import pick
from tests.factories import ClientSiteFactory, make_stock_item, make_user
from tests.factories.users import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]


def field(page, label):
    """The form control labelled exactly `label` (crispy appends "*" to required ones)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_coordinator_creates_a_site_plans_a_weekly_visit_and_restocks_a_low_item(open_page):
    coordinator = make_user(Role.COORDINATOR, username="carla", full_name="Carla Coordinator")
    technician = make_user(Role.TECHNICIAN, username="tomas", full_name="Tomas Technician")
    warehouse = ClientSiteFactory(site_code="WH-1", site_name="Warehouse One")
    towels = make_stock_item(
        by=coordinator,
        quantity=Decimal("2"),
        site=warehouse,
        item_name="Paper towels",
        sku="PT-100",
        reorder_level=Decimal("5"),
        par_level=Decimal("40"),
    )
    # Not this week, so the board has to be shown the right one.
    first_date = timezone.localdate() + dt.timedelta(days=15)
    monday = first_date - dt.timedelta(days=first_date.weekday())

    page = open_page(viewport=DESKTOP)
    page.set_default_timeout(5_000)
    nav = page.get_by_role("navigation", name="Main")

    # Log in through the form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(nav.get_by_text("Carla Coordinator")).to_be_visible()

    # Create a site through the site form.
    nav.get_by_role("link", name="Sites", exact=True).click()
    page.get_by_role("link", name="New site").click()
    expect(page.get_by_role("heading", name="New site")).to_be_visible()
    field(page, "Site code").fill("hq-7")
    field(page, "Site name").fill("Harbour Quay Seven")
    field(page, "Client").fill("Harbour Holdings")
    field(page, "Service level").select_option(label="Premium")
    field(page, "Address").fill("7 Harbour Quay\nBoston, MA 02110")
    field(page, "Site instructions").fill("Alarm code at the front desk.")
    page.get_by_role("button", name="Create site").click()
    expect(page.get_by_text("Site HQ-7 · Harbour Quay Seven created.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sites/HQ-7/$"))
    site = ClientSite.objects.get(site_code="HQ-7")
    assert site.site_name == "Harbour Quay Seven"
    assert site.client_name == "Harbour Holdings"
    assert site.service_level == ServiceLevel.PREMIUM
    # Browsers send a textarea's line breaks as CRLF (HTML spec); Django keeps them.
    assert site.address.splitlines() == ["7 Harbour Quay", "Boston, MA 02110"]
    assert site.active

    # Plan a weekly visit for the technician, from the dispatch board.
    nav.get_by_role("link", name="Dispatch board").click()
    page.get_by_role("link", name="Plan a visit", exact=True).click()
    expect(page.get_by_role("heading", name="Plan a visit")).to_be_visible()
    pick(page, "Site", "hq-7", "HQ-7 · Harbour Quay Seven")
    pick(page, "Technician", "tomas", "Tomas Technician (tomas)")
    field(page, "Date (first visit)").fill(first_date.isoformat())
    field(page, "Start time").fill("18:00")
    field(page, "End time").fill("22:00")
    field(page, "Repeats").select_option(label="Weekly")
    field(page, "End date").fill((first_date + dt.timedelta(weeks=3)).isoformat())
    page.get_by_role("button", name="Plan", exact=True).click()

    # The board opens on the first visit's week, with the visit in the technician's row.
    expect(page.get_by_text("Series planned: 4 visits")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Dispatch board · week of {monday.day} {monday:%b %Y}"
    )
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Tomas Technician"))
    day_cell = row.get_by_role("cell").nth(first_date.weekday())
    expect(day_cell.get_by_role("link", name="18:00–22:00 HQ-7")).to_be_visible()

    series = VisitSeries.objects.get(site=site)
    assert series.frequency == Frequency.WEEKLY
    assert series.assigned_to == technician
    assert series.first_date == first_date
    assert series.created_by == coordinator
    visits = CleaningSchedule.objects.filter(series=series).order_by("service_date")
    assert [v.service_date for v in visits] == [
        first_date + dt.timedelta(weeks=n) for n in range(4)
    ]
    assert {(v.assigned_to_id, v.start_time, v.end_time, v.status) for v in visits} == {
        (technician.pk, dt.time(18, 0), dt.time(22, 0), VisitStatus.SCHEDULED)
    }

    # The low-stock page lists the low item; restock it through its movement form.
    nav.get_by_role("link", name=re.compile(r"^Low stock")).click()
    expect(page.get_by_role("heading", name="Low stock", level=1)).to_be_visible()
    section = page.get_by_role("region", name="WH-1 · Warehouse One")
    item_row = section.get_by_role("row").filter(has_text="Paper towels")
    expect(item_row).to_contain_text("2 case")
    expect(item_row).to_contain_text("38 case")  # to order: back up to par 40
    item_row.get_by_role("link", name="Paper towels").click()
    page.get_by_role("link", name="Restock", exact=True).click()
    expect(field(page, "What happened")).to_have_value(MovementKind.RESTOCK)
    field(page, "Quantity").fill("38")
    field(page, "Note").fill("Delivered by Acme")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Restock recorded: Paper towels now 40 case on hand.")).to_be_visible()
    expect(page.locator("#on-hand")).to_have_text("40")

    towels.refresh_from_db()
    assert towels.quantity_on_hand == Decimal("40")
    movement = StockMovement.objects.filter(item=towels).latest("created_at", "pk")
    assert movement.kind == MovementKind.RESTOCK
    assert movement.quantity == Decimal("38")
    assert movement.quantity_after == Decimal("40")
    assert movement.note == "Delivered by Acme"
    assert movement.created_by == coordinator
    assert StockMovement.objects.filter(item=towels).count() == 2  # opening stock + restock
