import pytest

from janitorial_crm.roles import Role
from tests.browser.conftest import PHONE, assert_no_horizontal_scroll
from tests.factories import make_user
from tests.factories.users import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_clock(reason="the browser and its session cookies live on the real clock"),
    pytest.mark.django_db(transaction=True),
]


def test_a_technician_logs_in_on_a_phone(open_page):
    make_user(Role.TECHNICIAN, username="maria", full_name="Maria Lopez")
    page = open_page(viewport=PHONE)
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_no_horizontal_scroll(page)
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    assert (
        page.get_by_text("Maria Lopez").first.is_visible()
        or page.locator(".navbar-toggler").is_visible()
    )
    assert_no_horizontal_scroll(page)


def test_a_wrong_password_shows_the_generic_message(open_page):
    make_user(Role.TECHNICIAN, username="maria")
    page = open_page(viewport=PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill("not-it")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Wrong username or password.").is_visible()
