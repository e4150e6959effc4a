"""The login lockout counts accounts, not spellings, and over-long usernames never reach it."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from janitorial_crm.roles import Role
from janitorial_crm.usernames import axes_username
from tests.factories import make_user
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URLS = ["/accounts/login/", "/admin/login/"]
# Every spelling that login accepts for "locktest": case, stray spaces, full-width letters.
FULL_WIDTH = "ｌｏｃｋｔｅｓｔ"
SPELLINGS = ["LOCKTEST", "LockTest", " locktest", "locktest ", FULL_WIDTH, FULL_WIDTH.upper()]


@pytest.fixture
def locktest(db):
    # A supervisor is staff, so the same account can log in to the portal and the admin.
    return make_user(Role.SUPERVISOR, username="locktest")


def lock_out(client, url, settings, username="locktest"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": username, "password": "wrong"})


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_every_spelling_of_a_locked_username_is_refused_even_with_the_right_password(
    client, settings, locktest, url
):
    lock_out(client, url, settings)
    for spelling in SPELLINGS:
        response = client.post(url, {"username": spelling, "password": PASSWORD})
        assert response.status_code == 429, spelling
        assert "_auth_user_id" not in client.session, spelling


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_right_password_under_another_spelling_does_not_lift_the_lock(
    client, settings, locktest, url
):
    lock_out(client, url, settings)
    client.post(url, {"username": "LockTest", "password": PASSWORD})
    response = client.post(url, {"username": "locktest", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_failures_under_different_spellings_add_up_to_one_lockout(client, settings, locktest, url):
    for number in range(settings.AXES_FAILURE_LIMIT):
        spelling = SPELLINGS[number % len(SPELLINGS)]
        client.post(url, {"username": spelling, "password": "wrong"})
    response = client.post(url, {"username": "locktest", "password": PASSWORD})
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"locktest"}


def test_a_spelling_login_accepts_still_logs_in_when_nothing_is_locked(client, locktest):
    response = client.post("/accounts/login/", {"username": FULL_WIDTH, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(locktest.pk)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_an_over_long_username_is_a_field_error_and_is_not_recorded(client, url):
    response = client.post(url, {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_the_lockout_key_fits_the_lockout_table_even_when_normalising_lengthens_it():
    # U+FDFA is one character that NFKC spells out as eighteen.
    request = RequestFactory().post("/accounts/login/")
    key = axes_username(request, {"username": "\ufdfa" * 150})
    assert len(key) == AccessAttempt._meta.get_field("username").max_length
