"""The technician's phone: log in, open "My day", start and complete today's visit."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scheduling.models import VisitStatus, VisitStatusChange
from tests.browser.conftest import PHONE, assert_no_horizontal_scroll, save_screenshot
from tests.factories import VisitFactory
from tests.factories.users import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]

TAP = 44  # px: the smallest comfortable tap target


def assert_tappable(button):
    box = button.bounding_box()
    assert box is not None, "the button is not rendered"
    assert box["height"] >= TAP, f"button is {box['height']}px tall (< {TAP}px)"


def test_a_technician_starts_and_completes_todays_visit_on_a_phone(open_page, technician, site):
    site.instructions = "Key box code 4321. Alarm panel left of the door."
    site.save()
    # All day today: the visit is listed under "Today" and Start is offered whatever the clock.
    visit = VisitFactory(
        site=site,
        assigned_to=technician,
        service_date=timezone.localdate(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
    )

    page = open_page(viewport=PHONE)
    page.set_default_timeout(5_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(technician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Menu")).to_be_visible()

    # On a phone the navigation sits behind the menu button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My day").click()
    expect(page.get_by_role("heading", name="My day", level=1)).to_be_visible()
    save_screenshot(page, "technician-my-day")
    assert_no_horizontal_scroll(page)

    today = page.get_by_role("region", name="Today")
    card = today.locator(f"#visit-{visit.pk}")
    expect(card.get_by_role("link", name="Own Tower")).to_be_visible()
    expect(card).to_contain_text("00:00–23:59")
    expect(card).to_contain_text("Key box code 4321.")
    expect(card).to_contain_text("Scheduled")
    start = card.get_by_role("button", name="Start")
    expect(start).to_be_visible()
    assert_tappable(start)
    expect(card.get_by_role("button", name="Complete")).to_have_count(0)

    before = timezone.now()
    start.click()
    # The card is swapped in place (htmx) with the outcome in it.
    card = page.locator(f"#visit-{visit.pk}")
    expect(card.get_by_role("status")).to_have_text("Visit started.")
    expect(card).to_contain_text("In progress")
    expect(card.get_by_role("button", name="Start")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    assert visit.started_at is not None and visit.completed_at is None

    complete = card.get_by_role("button", name="Complete")
    expect(complete).to_be_visible()
    assert_tappable(complete)
    assert_no_horizontal_scroll(page)
    complete.click()
    expect(card.get_by_role("status")).to_have_text("Visit completed.")
    expect(card).to_contain_text("Completed")
    expect(card.get_by_role("button", name="Complete")).to_have_count(0)
    after = timezone.now()

    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED
    assert before <= visit.started_at <= visit.completed_at <= after
    assert visit.status_changed_by == technician
    history = VisitStatusChange.objects.filter(visit=visit).order_by("changed_at", "pk")
    assert [(c.from_status, c.to_status, c.changed_by_id) for c in history] == [
        (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, technician.pk),
        (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED, technician.pk),
    ]

    # A reload shows the finished visit, still without sideways scroll.
    page.reload()
    expect(page.locator(f"#visit-{visit.pk}")).to_contain_text("Completed")
    assert_no_horizontal_scroll(page)
    save_screenshot(page, "technician-my-day-completed")
