"""Sign-up that never tells who has an account, and rate limits on the forms that send mail."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from janitorial_crm.roles import Role
from tests import clock
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-long-unusual-passphrase"


def ask_to_sign_up(client, email="New.Cleaner@Example.com", full_name="New Cleaner"):
    return client.post("/accounts/signup/", {"full_name": full_name, "email": email})


def link_in(message):
    return re.search(r"http://testserver(/accounts/signup/[^/\s]+/)", message.body).group(1)


def finish(client, link, username="newcleaner", password=NEW_PASSWORD):
    return client.post(link, {"username": username, "password1": password, "password2": password})


def ask_for_a_reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_signing_up_mails_a_link_that_creates_an_account_waiting_for_access(client):
    response = ask_to_sign_up(client)
    assert response["Location"] == "/accounts/signup/sent/"
    assert not User.objects.exists()
    [message] = mail.outbox
    assert message.to == ["new.cleaner@example.com"]

    link = link_in(message)
    assert client.get(link).context["email"] == "new.cleaner@example.com"
    response = finish(client, link)
    assert response["Location"] == "/accounts/waiting/"
    user = User.objects.get(username="newcleaner")
    assert (user.email, user.full_name) == ("new.cleaner@example.com", "New Cleaner")
    assert user.role is None
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/sites/").url == "/accounts/waiting/"
    assert b"Waiting for access" in client.get("/accounts/waiting/").content


def test_signing_up_with_a_taken_address_looks_the_same_and_mails_its_owner_instead(client):
    owner = make_user(Role.TECHNICIAN, email="taken@example.com")
    new = ask_to_sign_up(client, email="fresh@example.com")
    taken = ask_to_sign_up(client, email="TAKEN@example.com")
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"]

    [_, message] = mail.outbox
    assert message.to == ["taken@example.com"]
    assert "already has one" in message.body
    assert "http://testserver/accounts/password/reset/" in message.body
    assert "/accounts/signup/" not in message.body
    assert list(User.objects.all()) == [owner]


def test_the_sign_up_page_asks_for_nothing_an_account_could_already_own_but_the_address(client):
    form = client.get("/accounts/signup/").context["form"]
    assert set(form.fields) == {"full_name", "email"}


def test_the_link_refuses_a_taken_username_in_any_spelling_next_to_the_field(client):
    make_user(Role.TECHNICIAN, username="maria")
    ask_to_sign_up(client)
    link = link_in(mail.outbox[0])
    for spelling in ("maria", "MARIA", " Maria", "ｍａｒｉａ"):
        response = finish(client, link, username=spelling)
        assert response.status_code == 200
        assert response.context["form"].errors["username"], spelling
    assert User.objects.count() == 1


def test_the_new_username_is_stored_in_its_normal_form_and_logs_in_in_any_case(client):
    ask_to_sign_up(client)
    finish(client, link_in(mail.outbox[0]), username=" ＮｅｗＣｌｅａｎｅｒ")
    assert User.objects.filter(username="newcleaner").exists()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "NewCleaner", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_the_link_rejects_a_weak_password_next_to_the_field(client):
    ask_to_sign_up(client)
    response = finish(client, link_in(mail.outbox[0]), password="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_a_sign_up_link_works_only_once(client):
    ask_to_sign_up(client)
    link = link_in(mail.outbox[0])
    finish(client, link)
    client.post("/accounts/logout/")
    response = finish(client, link, username="somebodyelse")
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert list(User.objects.values_list("username", flat=True)) == ["newcleaner"]


def test_an_expired_or_altered_sign_up_link_is_refused(client, frozen):
    ask_to_sign_up(client)
    link = link_in(mail.outbox[0])
    altered = link.replace("/accounts/signup/", "/accounts/signup/x")
    assert client.get(altered).context["validlink"] is False
    frozen.move_to(clock.NOW + dt.timedelta(hours=25))
    response = finish(client, link)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert not User.objects.exists()


# -- rate limits -------------------------------------------------------------------------------
def test_password_reset_mails_one_address_at_most_its_hourly_budget(client, settings, frozen):
    make_user(Role.TECHNICIAN, email="maria@example.com")
    responses = [ask_for_a_reset(client, "maria@example.com") for _ in range(8)]
    budget = settings.THROTTLE_PER_EMAIL
    assert [r.status_code for r in responses] == [302] * budget + [429] * (8 - budget)
    assert len(mail.outbox) == budget
    assert b"Too many requests" in responses[-1].content

    frozen.move_to(clock.NOW + dt.timedelta(hours=1, seconds=1))
    assert ask_for_a_reset(client, "maria@example.com").status_code == 302
    assert len(mail.outbox) == budget + 1


def test_password_reset_limits_an_unknown_address_exactly_like_a_known_one(client, settings):
    make_user(Role.TECHNICIAN, email="maria@example.com")
    for email in ("maria@example.com", "nobody@example.com"):
        codes = [ask_for_a_reset(client, email).status_code for _ in range(4)]
        assert codes == [302] * settings.THROTTLE_PER_EMAIL + [429]


def test_sign_up_mails_one_address_at_most_its_hourly_budget_shared_with_password_reset(
    client, settings
):
    make_user(Role.TECHNICIAN, email="taken@example.com")
    settings.THROTTLE_PER_EMAIL = 3
    assert ask_to_sign_up(client, email="taken@example.com").status_code == 302
    assert ask_for_a_reset(client, "taken@example.com").status_code == 302
    assert ask_to_sign_up(client, email="taken@example.com").status_code == 302
    refused = ask_to_sign_up(client, email="TAKEN@example.com")
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert len(mail.outbox) == 3


def test_one_client_gets_its_hourly_budget_of_sign_ups_across_addresses(client, settings):
    settings.THROTTLE_PER_IP = 4
    codes = [ask_to_sign_up(client, email=f"person{n}@example.com").status_code for n in range(5)]
    assert codes == [302, 302, 302, 302, 429]
    assert len(mail.outbox) == 4


def test_another_client_is_not_held_up_by_one_that_used_its_budget(client, settings):
    settings.THROTTLE_PER_IP = 1
    ask_to_sign_up(client, email="one@example.com")
    assert ask_to_sign_up(client, email="two@example.com").status_code == 429
    response = client.post(
        "/accounts/signup/",
        {"full_name": "Other", "email": "three@example.com"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302


def test_the_link_answers_username_guesses_only_within_the_clients_budget(client, settings):
    make_user(Role.TECHNICIAN, username="maria")
    ask_to_sign_up(client)
    link = link_in(mail.outbox[0])
    settings.THROTTLE_PER_IP = 2
    assert finish(client, link, username="maria").context["form"].errors["username"]
    mario = finish(client, link, username="mario", password="12345678")
    assert "username" not in mario.context["form"].errors
    refused = finish(client, link, username="maria")
    assert refused.status_code == 429
    assert not refused.context["form"].errors
    assert not User.objects.filter(username="newcleaner").exists()
