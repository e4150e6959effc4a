"""Webhook deliveries: queued after the change commits, signed, retried with backoff, paused
after repeated failures, sent only while the owner may see the object, never followed through
a redirect and never into a private network."""

import datetime as dt
import http.client
import http.server
import io
import json
import re
import socket
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from api.models import DeliveryStatus, PauseReason, WebhookAttempt, WebhookDelivery
from api.webhooks import network
from api.webhooks.services import webhook_deliver
from janitorial_crm.roles import Role
from janitorial_crm.services import user_set_role
from scheduling.models import VisitStatus
from scheduling.services import visit_transition
from tests.clock import NOW
from tests.factories import VisitFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


class FakeReceiver:
    """Stands in for the HTTP client: records each POST and answers from a script (default
    200). An exception in the script is raised, as the real client would."""

    def __init__(self):
        self.requests = []
        self.script = []

    def __call__(self, url, *, body, headers, timeout, max_bytes):
        self.requests.append(SimpleNamespace(url=url, body=body, headers=headers))
        answer = self.script.pop(0) if self.script else network.Answer(200, "thanks")
        if isinstance(answer, Exception):
            raise answer
        return answer

    def always(self, answer):
        self.script = [answer] * 50

    def payloads(self):
        return [json.loads(request.body) for request in self.requests]


@pytest.fixture
def receiver(monkeypatch):
    fake = FakeReceiver()
    monkeypatch.setattr(network, "post", fake)
    return fake


@pytest.fixture
def visit(site, technician):
    return VisitFactory(site=site, assigned_to=technician)


@pytest.fixture
def start_visit(login, technician, django_capture_on_commit_callbacks):
    """The technician starts `visit` on the portal; the commit's callbacks run."""

    def _start(visit):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(technician).post(reverse("scheduling:visit_start", args=[visit.pk]))
        assert response.status_code == 302
        visit.refresh_from_db()
        return visit

    return _start


def deliver():
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    return out.getvalue()


# -- the outbox ------------------------------------------------------------------------------


def test_an_event_is_queued_once_for_each_active_endpoint_that_wants_it(
    start_visit, visit, receiver
):
    wants = WebhookEndpointFactory(events=["visit.status_changed"])
    WebhookEndpointFactory(events=["stock.low"])
    WebhookEndpointFactory(events=["visit.status_changed"], paused_at=NOW)

    start_visit(visit)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.kind, delivery.object_id) == (
        wants,
        "visit.status_changed",
        visit.pk,
    )
    assert delivery.status == DeliveryStatus.PENDING
    assert receiver.requests == []  # sent by the job, not by the request


def test_a_rolled_back_change_queues_no_delivery(
    visit, technician, receiver, django_capture_on_commit_callbacks
):
    WebhookEndpointFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        visit_transition(visit=visit, to_status=VisitStatus.IN_PROGRESS, by=technician)
        raise RuntimeError("something later in the same transaction failed")

    visit.refresh_from_db()
    assert visit.status == VisitStatus.SCHEDULED
    assert not WebhookDelivery.objects.exists()
    deliver()
    assert receiver.requests == []


# -- what is sent ----------------------------------------------------------------------------


def test_the_payload_holds_ids_the_site_code_and_what_changed_only(
    start_visit, visit, site, receiver, settings
):
    settings.PUBLIC_BASE_URL = "https://crm.example.com"
    endpoint = WebhookEndpointFactory(events=["visit.status_changed"])
    start_visit(visit)
    delivery = WebhookDelivery.objects.get()

    assert "delivered 1" in deliver()

    (request,) = receiver.requests
    assert request.url == endpoint.url
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Webhook-Id"] == str(delivery.event_id)
    payload = json.loads(request.body)
    object_url = payload["object"].pop("url")
    assert payload == {
        "id": str(delivery.event_id),
        "kind": "visit.status_changed",
        "occurred_at": "2026-11-24T17:00:00Z",
        "object": {"type": "visit", "id": visit.pk},
        "site": {"id": site.pk, "code": "OWN-1"},
        "changes": {"from_status": "scheduled", "to_status": "in_progress"},
    }
    # The API's object routes may not exist yet; when they do, the link is absolute.
    assert object_url is None or object_url.startswith("https://crm.example.com/api/v1/")


def documented_recipe():
    """The Python block of docs/API.md's "Verifying a delivery", as a receiver would copy it."""
    text = (settings.BASE_DIR / "docs" / "API.md").read_text()
    section = text.split("### Verifying a delivery", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own documentation, checked by this test
    return namespace["verify_webhook"]


def test_a_delivery_is_signed_so_that_the_documented_recipe_verifies_it(
    start_visit, visit, receiver, frozen
):
    endpoint = WebhookEndpointFactory()
    start_visit(visit)
    deliver()
    (request,) = receiver.requests
    verify_webhook = documented_recipe()

    assert request.headers["Webhook-Timestamp"] == str(int(NOW.timestamp()))
    assert request.headers["Webhook-Signature"].startswith("v1=")
    assert verify_webhook(endpoint.secret, request.headers, request.body)
    assert not verify_webhook("whsec_someone-else", request.headers, request.body)
    assert not verify_webhook(endpoint.secret, request.headers, request.body + b" ")
    frozen.move_to(NOW + dt.timedelta(minutes=6))  # a captured delivery replayed later
    assert not verify_webhook(endpoint.secret, request.headers, request.body)


def test_a_delivered_event_is_never_sent_again(start_visit, visit, receiver, frozen):
    WebhookEndpointFactory()
    start_visit(visit)
    delivery = WebhookDelivery.objects.get()

    deliver()
    frozen.move_to(NOW + dt.timedelta(hours=1))
    deliver()
    assert webhook_deliver(delivery.pk) is None

    delivery.refresh_from_db()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == ("delivered", 1, NOW)
    assert delivery.last_status_code == 200 and delivery.last_response == "thanks"


# -- failures --------------------------------------------------------------------------------


def test_a_failing_delivery_is_retried_after_1_2_4_minutes_then_given_up(
    start_visit, visit, receiver, frozen, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    WebhookEndpointFactory()
    receiver.always(network.Answer(503, "maintenance until 6am"))
    start_visit(visit)
    delivery = WebhookDelivery.objects.get()

    for minute in range(0, 20):
        frozen.move_to(NOW + dt.timedelta(minutes=minute))
        deliver()

    delivery.refresh_from_db()
    attempts = list(delivery.attempt_log.values_list("attempted_at", "status_code"))
    assert attempts == [(NOW + dt.timedelta(minutes=minute), 503) for minute in (0, 1, 3, 7)]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 4, None)
    assert delivery.last_response == "maintenance until 6am"
    assert len(receiver.requests) == 4
    # The same event each time: the receiver can recognise a retry.
    assert len({request.headers["Webhook-Id"] for request in receiver.requests}) == 1


def test_an_endpoint_is_paused_after_n_failures_in_a_row_and_resumes_with_what_waited(
    login, coordinator, site, technician, start_visit, receiver, frozen, settings
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    endpoint = WebhookEndpointFactory(owner=coordinator)
    visits = [
        VisitFactory(
            site=site, assigned_to=technician, start_time=dt.time(h, 0), end_time=dt.time(h, 30)
        )
        for h in (6, 8, 10)
    ]
    for visit in visits:
        start_visit(visit)
    receiver.always(network.DeliveryError("Connection failed: refused"))

    deliver()

    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.pause_reason) == (False, PauseReason.FAILING)
    assert endpoint.consecutive_failures == 3
    start_visit(
        VisitFactory(
            site=site, assigned_to=technician, start_time=dt.time(12, 0), end_time=dt.time(12, 30)
        )
    )
    assert WebhookDelivery.objects.count() == 3  # nothing queued while paused
    frozen.move_to(NOW + dt.timedelta(hours=1))
    deliver()
    assert len(receiver.requests) == 3  # nothing sent while paused

    receiver.script = []  # the receiver is fixed
    login(coordinator).post(reverse("api:webhook_resume", args=[endpoint.pk]))
    deliver()

    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_redirect_is_a_failure_and_is_not_followed(start_visit, visit, receiver):
    WebhookEndpointFactory()
    receiver.script = [network.Answer(302, "")]
    start_visit(visit)

    deliver()

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 302)
    assert "Redirects are not followed" in delivery.last_error
    assert delivery.next_attempt_at == NOW + dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "addresses", [["10.0.0.7"], ["93.184.216.34", "169.254.169.254"], ["::ffff:127.0.0.1"]]
)
def test_a_host_that_now_resolves_into_a_private_network_is_refused_and_logged(
    start_visit, visit, monkeypatch, addresses
):
    WebhookEndpointFactory(url="https://hooks.example.com/crm")
    monkeypatch.setattr(network, "resolve", lambda host, port: addresses)

    def no_connection(*args, **kwargs):
        raise AssertionError("a refused address must not be connected to")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    start_visit(visit)

    deliver()

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("Refused: This address leads into a private network")
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


# -- who may receive what ---------------------------------------------------------------------


@pytest.mark.parametrize("change", ["demoted_to_technician", "deactivated"])
def test_an_owner_who_can_no_longer_see_the_site_gets_nothing(
    start_visit, visit, coordinator, receiver, change
):
    WebhookEndpointFactory(owner=coordinator)
    start_visit(visit)
    if change == "demoted_to_technician":
        user_set_role(user=coordinator, role=Role.TECHNICIAN)  # not assigned to this site
    else:
        coordinator.is_active = False
        coordinator.save()

    deliver()

    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.attempts == 0


# -- the real HTTP client, against a server the test runs on 127.0.0.1 -------------------------


class RedirectingHandler(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802 - the name http.server calls
        length = int(self.headers["Content-Length"])
        self.seen.append((self.command, self.path, self.rfile.read(length)))
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
        self.end_headers()
        self.wfile.write(b"x" * 100_000)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    RedirectingHandler.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RedirectingHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_the_http_client_does_not_follow_a_redirect_and_keeps_a_capped_excerpt(local_server):
    connection = http.client.HTTPConnection("127.0.0.1", local_server.server_port, timeout=5)

    answer = network.exchange(
        connection,
        path="/hook",
        body=b'{"id":"1"}',
        headers={"Content-Type": "application/json"},
        timeout=5,
        max_bytes=1024,
    )

    assert answer.status == 302
    assert answer.excerpt == "x" * 1024
    assert RedirectingHandler.seen == [("POST", "/hook", b'{"id":"1"}')]
