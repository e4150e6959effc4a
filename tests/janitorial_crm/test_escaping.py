"""User-controlled text is escaped everywhere it is rendered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from janitorial_crm.roles import Role
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
]
EVIL = " ".join(PAYLOADS)


@pytest.fixture
def poisoned():
    technician = make_user(Role.TECHNICIAN, username="tech-x", full_name=f"Tech {EVIL}")
    inspector = make_user(Role.INSPECTOR, username="insp-x", full_name=f"Insp {EVIL}")
    client = make_user(Role.CLIENT, username="client-x", full_name=f"Client {EVIL}")
    site = ClientSiteFactory(
        site_code="EVIL-1",
        site_name=f"Site {EVIL}",
        client_name=f"Client Co {EVIL}",
        address=f"1 Main St {EVIL}",
        instructions=f"Door code {EVIL}",
    )
    for user in (technician, inspector):
        SiteMembershipFactory(site=site, user=user)
    SiteMembershipFactory(site=site, user=client, can_see_inspections=True)
    today = timezone.localdate()
    visit = VisitFactory(
        site=site,
        assigned_to=technician,
        service_date=today,
        start_time=dt.time(0, 5),
        end_time=dt.time(23, 55),
        notes=f"Note {EVIL}",
    )
    item = StockItemFactory(
        site=site,
        item_name=f"Liners {EVIL}",
        sku="EVIL-SKU",
        quantity_on_hand=Decimal("1"),
        reorder_level=Decimal("5"),
    )
    log = InspectionFactory(
        site=site,
        inspector=inspector,
        score=40,
        findings=f"Findings {EVIL}",
        corrective_actions=f"Action {EVIL}",
    )
    return {
        "technician": technician,
        "inspector": inspector,
        "client": client,
        "site": site,
        "visit": visit,
        "item": item,
        "log": log,
    }


def pages(p, coordinator):
    code = p["site"].site_code
    return [
        (coordinator, reverse("portal:dashboard")),
        (coordinator, reverse("portal:site_list")),
        (coordinator, reverse("portal:site_detail", kwargs={"code": code})),
        (coordinator, reverse("sites:site_update", kwargs={"code": code})),
        (coordinator, reverse("portal:site_report", kwargs={"code": code})),
        (coordinator, reverse("scheduling:visit_list")),
        (coordinator, reverse("scheduling:visit_detail", kwargs={"pk": p["visit"].pk})),
        (coordinator, reverse("scheduling:board")),
        (coordinator, reverse("scheduling:board") + "?view=sites"),
        (coordinator, reverse("inventory:item_list")),
        (coordinator, reverse("inventory:item_detail", kwargs={"pk": p["item"].pk})),
        (coordinator, reverse("inventory:low_stock")),
        (coordinator, reverse("inspections:inspection_list")),
        (coordinator, reverse("inspections:inspection_detail", kwargs={"pk": p["log"].pk})),
        (p["technician"], reverse("portal:dashboard")),
        (p["technician"], reverse("scheduling:my_day")),
        (p["technician"], reverse("inventory:site_usage", kwargs={"pk": p["site"].pk})),
        (p["inspector"], reverse("portal:dashboard")),
        (p["inspector"], reverse("inspections:inspection_update", kwargs={"pk": p["log"].pk})),
        (p["client"], reverse("portal:dashboard")),
        (p["client"], reverse("portal:site_detail", kwargs={"code": code})),
        (p["client"], reverse("inspections:inspection_detail", kwargs={"pk": p["log"].pk})),
    ]


def test_payloads_in_names_notes_and_findings_are_escaped_on_every_page(
    client, coordinator, poisoned
):
    shown = 0
    for user, url in pages(poisoned, coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for payload in PAYLOADS:
            assert payload not in html, f"{url} renders {payload!r} unescaped"
        shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The payloads really are on the pages (escaped), so the check above is not vacuous.
    assert shown == len(pages(poisoned, coordinator))
