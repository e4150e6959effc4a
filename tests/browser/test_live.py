"""Live updates end to end: a coordinator's dispatch board and a technician's My day open side
by side; each sees the other's change within 2 s, without a reload."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from janitorial_crm.pickers import PersonPickerField
from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from tests.browser.conftest import DESKTOP, PHONE, save_screenshot
from tests.browser.pickers import pick
from tests.factories import VisitFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]

WITHIN = 2_000  # ms: "within 2 s"


def mark_loaded(page):
    """A flag on the window: still set later means the page was never reloaded."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page):
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def test_the_board_and_my_day_show_each_others_changes_live(
    open_page, coordinator, technician, site
):
    today = timezone.localdate()
    all_day = {"service_date": today, "start_time": dt.time(0, 0), "end_time": dt.time(23, 59)}
    mine = VisitFactory(site=site, assigned_to=technician, **all_day)
    colleague = make_user(Role.TECHNICIAN, username="colleague")
    theirs = VisitFactory(
        site=site,
        assigned_to=colleague,
        service_date=today + dt.timedelta(days=1),
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
    )

    board = open_page(viewport=DESKTOP, user=coordinator)
    board.set_default_timeout(5_000)
    board.goto("/visits/board/")
    expect(board.locator(f"#visit-card-{mine.pk}")).to_have_class(
        "board-visit board-visit-scheduled"
    )
    expect(board.locator("#live-indicator")).to_have_attribute("data-state", "live")
    mark_loaded(board)

    phone = open_page(viewport=PHONE, user=technician)
    phone.set_default_timeout(5_000)
    phone.goto("/visits/my-day/")
    expect(phone.locator(f"#visit-{mine.pk}")).to_be_visible()
    expect(phone.locator(f"#visit-{theirs.pk}")).to_have_count(0)
    expect(phone.locator("#live-indicator")).to_have_attribute("data-state", "live")
    mark_loaded(phone)

    # The technician starts a visit: the coordinator's board shows it in progress.
    phone.locator(f"#visit-{mine.pk}").get_by_role("button", name="Start").click()
    expect(phone.locator(f"#visit-{mine.pk}")).to_contain_text("Visit started")
    expect(board.locator(f"#visit-card-{mine.pk}")).to_have_class(
        "board-visit board-visit-in_progress", timeout=WITHIN
    )
    mine.refresh_from_db()
    assert mine.status == VisitStatus.IN_PROGRESS

    # The coordinator reassigns another visit (in a second tab): it appears on My day.
    editor = board.context.new_page()
    editor.goto(f"/visits/{theirs.pk}/edit/")
    pick(editor, "Technician", technician.username, PersonPickerField.label_for(technician))
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_have_url(re.compile(rf"/visits/{theirs.pk}/$"))
    expect(phone.locator(f"#visit-{theirs.pk}")).to_be_visible(timeout=WITHIN)
    save_screenshot(phone, "live-my-day-reassigned")
    save_screenshot(board, "live-board-started")

    assert_not_reloaded(board)
    assert_not_reloaded(phone)
