"""The inspector's phone: file an inspection with a photo; only granted clients see it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import PhotoKind, SiteInspectionLog
from janitorial_crm.roles import Role
from tests.browser.conftest import PHONE, assert_no_horizontal_scroll, save_screenshot
from tests.browser.pickers import pick
from tests.factories import SiteMembershipFactory, image_bytes, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]


def field(page, label):
    """The form control labelled exactly `label` (crispy appends "*" to required ones)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def assert_image_loads(page, img):
    """The <img> is fetched and decoded (lazy images load once scrolled into view)."""
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("img => img.naturalWidth") > 0


def test_an_inspector_files_a_photo_inspection_that_only_a_granted_client_sees(
    open_page, inspector, client_user, site
):
    # `site`: the inspector is a member; `client_user` is a member WITH the inspection grant.
    ungranted = make_user(Role.CLIENT, username="nogrant", full_name="Nora No-Grant")
    SiteMembershipFactory(site=site, user=ungranted, can_see_inspections=False)
    photo = image_bytes(size=(1200, 900))

    page = open_page(viewport=PHONE, user=inspector)
    page.set_default_timeout(5_000)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inspections").click()
    page.get_by_role("link", name="New inspection").click()
    expect(page.get_by_role("heading", name="New inspection", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)

    pick(page, "Site", "own", "OWN-1 · Own Tower")
    field(page, "Score (0–100)").fill("72")
    field(page, "Findings").fill("Mirrors streaked in the 2nd floor restroom.")
    field(page, "Corrective actions").fill("Re-clean the mirrors before Friday.")
    field(page, "Internal notes").fill("Night crew short-staffed this week.")
    field(page, "Photos").set_input_files(
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.get_by_role("button", name="Save inspection").click()

    expect(page.get_by_text("Inspection saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Inspection · OWN-1", level=1)).to_be_visible()
    thumb = page.get_by_role("img", name="Inspection photo 1")
    try:
        assert_image_loads(page, thumb)
    finally:
        save_screenshot(page, "inspector-inspection")
    expect(page.get_by_text("Mirrors streaked in the 2nd floor restroom.")).to_be_visible()
    assert_no_horizontal_scroll(page)

    log = SiteInspectionLog.objects.get(site=site)
    assert page.url.endswith(reverse("inspections:inspection_detail", args=[log.pk]))
    assert log.inspector == inspector
    assert log.score == 72
    assert log.findings == "Mirrors streaked in the 2nd floor restroom."
    assert log.corrective_actions == "Re-clean the mirrors before Friday."
    assert log.internal_notes == "Night crew short-staffed this week."
    assert log.resolved_at is None
    (stored,) = log.photos.all()
    assert stored.kind == PhotoKind.FINDING
    assert stored.image.storage.exists(stored.image.name)
    assert stored.thumbnail.storage.exists(stored.thumbnail.name)
    detail_url = reverse("inspections:inspection_detail", args=[log.pk])
    thumb_url = reverse("inspections:photo", args=[stored.pk, "thumb"])
    full_url = reverse("inspections:photo", args=[stored.pk, "full"])
    assert thumb.get_attribute("src") == thumb_url

    # A client with the grant sees the inspection and its photo, but not the internal notes.
    granted = open_page(viewport=PHONE, user=client_user)
    granted.set_default_timeout(5_000)
    granted.goto(reverse("inspections:inspection_list"))
    granted.get_by_role("row").filter(has_text="OWN-1").get_by_role("link").first.click()
    expect(granted).to_have_url(re.compile(rf"{re.escape(detail_url)}$"))
    expect(granted.get_by_text("Mirrors streaked in the 2nd floor restroom.")).to_be_visible()
    assert_image_loads(granted, granted.get_by_role("img", name="Inspection photo 1"))
    expect(granted.get_by_text("Night crew short-staffed")).to_have_count(0)
    assert granted.request.get(full_url).status == 200

    # A client of the same site without the grant gets nothing: not listed, 404 on the URLs.
    refused = open_page(viewport=PHONE, user=ungranted)
    refused.set_default_timeout(5_000)
    refused.goto(reverse("inspections:inspection_list"))
    expect(refused.get_by_text("No inspections match.")).to_be_visible()
    expect(refused.get_by_role("img", name="Inspection photo 1")).to_have_count(0)
    for url in (detail_url, thumb_url, full_url):
        assert refused.request.get(url).status == 404, url
