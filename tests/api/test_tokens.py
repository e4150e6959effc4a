"""Personal API tokens: created on a portal page and shown once, stored hashed, sent as
`Authorization: Bearer`, revocable and expiring."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.clock import NOW

pytestmark = pytest.mark.django_db

TOKENS = reverse("api:token_list")
ME = reverse("api:v1:me")


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def create_on_the_page(client, **data):
    response = client.post(TOKENS, {"name": "Payroll export", "expires_at": "", **data})
    match = re.search(r'id="new-token">(jcrm_[\w-]+)<', response.content.decode())
    return response, match.group(1) if match else None


def test_a_token_is_shown_once_and_only_its_digest_is_stored(login, coordinator):
    client = login(coordinator)
    response, raw = create_on_the_page(client)

    assert response.status_code == 200 and raw
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (coordinator, "Payroll export")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.digest, token.prefix}
    assert raw not in client.get(TOKENS).content.decode()


def test_a_token_acts_as_its_user_and_records_when_it_was_used(login, coordinator):
    _response, raw = create_on_the_page(login(coordinator))

    response = bearer(raw).get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "coordinator"
    assert response.json()["role"] == "Coordinator"
    assert ApiToken.objects.get().last_used_at == NOW


def test_a_revoked_token_is_refused_at_once(login, coordinator):
    client = login(coordinator)
    _response, raw = create_on_the_page(client)
    token = ApiToken.objects.get()

    client.post(reverse("api:token_revoke", args=[token.pk]))

    response = bearer(raw).get(ME)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_an_expired_token_is_refused(frozen, login, coordinator):
    _response, raw = create_on_the_page(login(coordinator), expires_at="2026-11-25T12:00")
    assert bearer(raw).get(ME).status_code == 200

    frozen.move_to(NOW + dt.timedelta(days=2))

    assert bearer(raw).get(ME).status_code == 401


def test_an_expiry_in_the_past_is_a_form_error(login, coordinator):
    response, raw = create_on_the_page(login(coordinator), expires_at="2026-11-20T12:00")

    assert raw is None
    assert "expires_at" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(login, coordinator, supervisor):
    _response, raw = create_on_the_page(login(coordinator))
    token = ApiToken.objects.get()

    response = login(supervisor).post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer jcrm_not-a-token",
        "Bearer " + "x" * 5000,
        "Bearer two words",
        "Basic Y29vcmRpbmF0b3I6ZGVtby1wYXNz",
        "Bearer \u00e9\u00e9",
    ],
)
def test_junk_credentials_are_a_401_in_the_error_format(header, coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(ME)

    assert response.status_code == 401
    assert response.json()["title"] == "Unauthorized"


def test_without_credentials_the_api_answers_401_not_the_login_page():
    response = APIClient().get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_browser_session_works_for_reads(login, technician):
    response = login(technician).get(ME)

    assert response.status_code == 200
    assert "scheduling.change_visit_status" in response.json()["permissions"]


def test_an_account_waiting_for_a_role_gets_403(api, waiting_user):
    assert api(waiting_user).get(ME).status_code == 403


def test_the_token_page_costs_the_same_for_2_and_15_tokens(
    login, coordinator, django_assert_max_num_queries
):
    from api.services import api_token_create

    client = login(coordinator)
    for number in range(2):
        api_token_create(user=coordinator, name=f"t{number}")
    with django_assert_max_num_queries(20) as few:
        client.get(TOKENS)
    for number in range(13):
        api_token_create(user=coordinator, name=f"more{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(TOKENS)
    assert response.content.decode().count("<code>jcrm_") == 15
