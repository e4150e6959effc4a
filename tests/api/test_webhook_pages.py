"""Registering and managing webhooks on the portal and in Django admin: the secret is shown
once, edits keep it, pause/resume/delete act on the endpoint, and each endpoint has a delivery
log."""

import re

import pytest
from django.urls import reverse

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import network
from tests.clock import NOW
from tests.factories import WebhookEndpointFactory, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("api:webhook_list")
CREATE = reverse("api:webhook_create")


@pytest.fixture(autouse=True)
def public_dns(monkeypatch):
    """Every host name resolves to one public address (no real DNS in tests)."""
    monkeypatch.setattr(network, "resolve", lambda host, port: ["93.184.216.34"])


def register(client, **data):
    form = {
        "name": "Facility system",
        "url": "https://hooks.example.com/crm",
        "events": ["visit.status_changed", "stock.low"],
        **data,
    }
    response = client.post(CREATE, form)
    match = re.search(r'id="new-secret">(whsec_[\w-]+)<', response.content.decode())
    return response, match.group(1) if match else None


@pytest.mark.parametrize("role", ["Coordinator", "Supervisor", "Admin"])
def test_a_manager_registers_a_webhook_and_sees_its_secret_once(login, role):
    user = make_user(role)
    client = login(user)

    response, secret = register(client)

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 200 and secret
    assert (endpoint.owner, endpoint.name, endpoint.url) == (
        user,
        "Facility system",
        "https://hooks.example.com/crm",
    )
    assert endpoint.events == ["stock.low", "visit.status_changed"]
    assert endpoint.secret == secret  # kept as is: deliveries are signed with it
    for page in (
        LIST,
        endpoint.get_absolute_url(),
        reverse("api:webhook_update", args=[endpoint.pk]),
    ):
        assert secret not in client.get(page).content.decode()


def test_field_roles_may_not_register_webhooks(login, technician):
    response, _secret = register(login(technician))

    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_choosing_no_event_is_refused_next_to_the_field(login, coordinator):
    response, _secret = register(login(coordinator), events=[])

    assert response.status_code == 200
    assert response.context["form"].errors["events"]
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_event_is_refused_next_to_the_field(login, coordinator):
    response, _secret = register(login(coordinator), events=["visit.teleported"])

    assert response.context["form"].errors["events"]
    assert not WebhookEndpoint.objects.exists()


def test_editing_changes_the_url_and_events_but_keeps_the_secret_and_owner(
    login, coordinator, supervisor
):
    endpoint = WebhookEndpointFactory(owner=coordinator)
    secret = endpoint.secret

    response = login(supervisor).post(
        reverse("api:webhook_update", args=[endpoint.pk]),
        {"name": "Renamed", "url": "https://other.example.com/in", "events": ["inspection.filed"]},
    )

    endpoint.refresh_from_db()
    assert response.status_code == 302
    assert (endpoint.name, endpoint.url, endpoint.events) == (
        "Renamed",
        "https://other.example.com/in",
        ["inspection.filed"],
    )
    assert (endpoint.secret, endpoint.owner) == (secret, coordinator)


def test_editing_to_a_private_address_is_refused_next_to_the_field(login, coordinator, monkeypatch):
    endpoint = WebhookEndpointFactory(owner=coordinator)
    monkeypatch.setattr(network, "resolve", lambda host, port: ["192.168.0.10"])

    response = login(coordinator).post(
        reverse("api:webhook_update", args=[endpoint.pk]),
        {"name": "x", "url": "https://printer.example.com/", "events": ["stock.low"]},
    )

    endpoint.refresh_from_db()
    assert "private network" in " ".join(response.context["form"].errors["url"])
    assert endpoint.url != "https://printer.example.com/"


def test_pausing_and_resuming_a_webhook_from_its_page(login, coordinator):
    endpoint = WebhookEndpointFactory(owner=coordinator, consecutive_failures=4)
    client = login(coordinator)

    client.post(reverse("api:webhook_pause", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert (endpoint.paused_at, endpoint.pause_reason) == (NOW, "by_user")

    client.post(reverse("api:webhook_resume", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0


def test_pause_and_resume_take_no_get(login, coordinator):
    endpoint = WebhookEndpointFactory(owner=coordinator)

    response = login(coordinator).get(reverse("api:webhook_pause", args=[endpoint.pk]))

    assert response.status_code == 405


def test_deleting_a_webhook_deletes_its_delivery_log(login, coordinator):
    endpoint = WebhookEndpointFactory(owner=coordinator)
    _delivery(endpoint)
    client = login(coordinator)

    assert client.get(reverse("api:webhook_delete", args=[endpoint.pk])).status_code == 200
    response = client.post(reverse("api:webhook_delete", args=[endpoint.pk]))

    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_an_unknown_webhook_is_not_found(login, coordinator):
    assert login(coordinator).get(reverse("api:webhook_detail", args=[999])).status_code == 404


def _delivery(endpoint, **fields):
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=f"00000000-0000-0000-0000-{WebhookDelivery.objects.count() + 1:012d}",
        kind="stock.low",
        occurred_at=NOW,
        object_id=5,
        site_id=1,
        next_attempt_at=NOW,
        **fields,
    )


def test_the_delivery_log_shows_status_code_attempts_and_an_excerpt(
    login, coordinator, django_assert_max_num_queries
):
    endpoint = WebhookEndpointFactory(owner=coordinator)
    _delivery(
        endpoint,
        status="pending",
        attempts=3,
        last_status_code=500,
        last_response="Internal error: database is down",
    )
    for _ in range(30):
        _delivery(endpoint, status="delivered", attempts=1, last_status_code=204)
    client = login(coordinator)

    with django_assert_max_num_queries(12):
        html = client.get(endpoint.get_absolute_url()).content.decode()

    assert "Internal error: database is down" in html
    assert re.search(r">\s*3\s*</td>", html)
    assert ">500</td>" in html and ">204</td>" in html


def test_the_webhook_list_runs_a_bounded_number_of_queries(
    login, coordinator, django_assert_max_num_queries
):
    WebhookEndpointFactory.create_batch(12, owner=coordinator)
    client = login(coordinator)

    with django_assert_max_num_queries(10):
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.context["endpoints"]) == 12


def test_an_admin_registers_a_webhook_in_django_admin_and_sees_the_secret_once(login, admin_user):
    client = login(admin_user)

    response = client.post(
        reverse("admin:api_webhookendpoint_add"),
        {"name": "ERP", "url": "https://erp.example.com/hook", "events": ["action.resolved"]},
    )

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.owner == admin_user
    assert endpoint.secret in response.content.decode()
    change_page = client.get(reverse("admin:api_webhookendpoint_change", args=[endpoint.pk]))
    assert change_page.status_code == 200
    assert endpoint.secret not in change_page.content.decode()


def test_django_admin_refuses_a_private_address_next_to_the_field(login, admin_user, monkeypatch):
    monkeypatch.setattr(network, "resolve", lambda host, port: ["10.9.8.7"])

    response = login(admin_user).post(
        reverse("admin:api_webhookendpoint_add"),
        {"name": "ERP", "url": "https://erp.internal.example.com/", "events": ["stock.low"]},
    )

    assert response.status_code == 200
    assert "private network" in " ".join(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()
