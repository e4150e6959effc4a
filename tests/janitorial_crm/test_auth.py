import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from janitorial_crm.roles import Role
from tests.factories import make_user
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_login_with_the_form_and_session_key_rotates(client):
    user = make_user(Role.COORDINATOR, username="cora")
    client.get("/accounts/login/")
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": "cora", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != before


def test_login_username_is_case_insensitive(client):
    make_user(Role.COORDINATOR, username="cora")
    response = client.post("/accounts/login/", {"username": "CORA", "password": PASSWORD})
    assert response.status_code == 302


def test_failed_login_shows_one_generic_message(client):
    make_user(Role.COORDINATOR, username="cora")
    wrong_password = client.post("/accounts/login/", {"username": "cora", "password": "nope"})
    unknown_user = client.post("/accounts/login/", {"username": "ghost", "password": "nope"})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert b"Wrong username or password." in response.content


def test_login_next_never_redirects_off_site(client):
    make_user(Role.COORDINATOR, username="cora")
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "cora", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_next_keeps_a_local_path(client):
    make_user(Role.COORDINATOR, username="cora")
    response = client.post(
        "/accounts/login/", {"username": "cora", "password": PASSWORD, "next": "/sites/"}
    )
    assert response["Location"] == "/sites/"


def test_repeated_failures_lock_the_username_and_ip(client, settings):
    make_user(Role.COORDINATOR, username="cora")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "cora", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "cora", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_is_throttled_too(client, settings):
    make_user(Role.SUPERVISOR, username="sam")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "sam", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "sam", "password": PASSWORD})
    assert locked.status_code == 429


def test_logout_is_post_only(client):
    user = make_user(Role.COORDINATOR)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client):
    user = make_user(Role.TECHNICIAN, email="maria@example.com")
    response = client.post("/accounts/password/reset/", {"email": "Maria@Example.com"})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert done["Location"] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase")


def test_password_reset_answers_the_same_for_an_unknown_email(client):
    make_user(Role.TECHNICIAN, email="maria@example.com")
    known = client.post("/accounts/password/reset/", {"email": "maria@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_password_change(client):
    user = make_user(Role.TECHNICIAN)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_anonymous_user_is_sent_to_login_with_next(client):
    response = client.get("/sites/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/sites/"
