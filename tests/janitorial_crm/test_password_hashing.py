"""Argon2id at OWASP's minimum, and every older hash upgraded when its owner logs in.

The suite hashes with MD5 for speed; these tests put the production list back."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher
from django.urls import reverse

import janitorial_crm.settings as production
from janitorial_crm.roles import Role
from tests.factories import make_user
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db
OWASP_MINIMUM = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture(autouse=True)
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def user_with_hash(encoded):
    user = make_user(Role.COORDINATOR, username="cora")
    user.password = encoded
    user.save()
    return user


def log_in(client, password=PASSWORD):
    return client.post(reverse("login"), {"username": "cora", "password": password})


def test_a_new_password_is_hashed_with_argon2id_at_owasps_minimum():
    user = make_user(Role.COORDINATOR, username="cora")
    assert user.password.startswith(OWASP_MINIMUM)


def test_a_hash_with_djangos_default_argon2_parameters_is_upgraded_at_login(client):
    django_default = Argon2PasswordHasher()
    user = user_with_hash(django_default.encode(PASSWORD, django_default.salt()))
    assert "m=102400,t=2,p=8" in user.password

    assert log_in(client).status_code == 302

    user.refresh_from_db()
    assert user.password.startswith(OWASP_MINIMUM)
    client.post(reverse("logout"))
    assert log_in(client).status_code == 302


def test_a_pbkdf2_hash_is_upgraded_at_login(client):
    pbkdf2 = PBKDF2PasswordHasher()
    user = user_with_hash(pbkdf2.encode(PASSWORD, pbkdf2.salt(), iterations=1000))

    assert log_in(client).status_code == 302

    user.refresh_from_db()
    assert user.password.startswith(OWASP_MINIMUM)


def test_a_current_hash_is_left_as_it_is_at_login(client):
    user = make_user(Role.COORDINATOR, username="cora")
    before = user.password

    assert log_in(client).status_code == 302

    user.refresh_from_db()
    assert user.password == before


def test_a_wrong_password_upgrades_nothing(client):
    django_default = Argon2PasswordHasher()
    user = user_with_hash(django_default.encode(PASSWORD, django_default.salt()))

    response = log_in(client, password="not-the-password")

    assert response.status_code == 200
    assert b"Wrong username or password." in response.content
    user.refresh_from_db()
    assert "m=102400,t=2,p=8" in user.password
