"""Writes about webhooks, and their delivery.

The path of an event: a domain service publishes it (janitorial_crm.events) → after the commit,
`webhook_event_received` writes one WebhookDelivery per active endpoint that wants the kind →
`deliver_webhooks` (every minute) calls `webhook_deliver(delivery_id)` for each due row. A
delivery is sent only if the endpoint's owner may still see the object; a failure is retried
after 1, 2, 4 … minutes up to WEBHOOK_MAX_ATTEMPTS attempts, and an endpoint is paused after
WEBHOOK_PAUSE_AFTER_FAILURES failures in a row.
"""

import datetime as dt
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import (
    DeliveryStatus,
    PauseReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from api.webhooks import network, signing
from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from janitorial_crm.events import Event, EventKind
from scheduling.models import CleaningSchedule
from sites.models import ClientSite

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
MAX_RESPONSE_BYTES = 16 * 1024
EXCERPT_CHARS = 500
# A claimed delivery is left alone by other runs this long (a send takes TIMEOUT_SECONDS at
# most); if the runner dies mid-send, the delivery is tried again after it.
CLAIM_LEASE = dt.timedelta(minutes=2)

# What each kind of event is about: the payload's object type, the model its owner must see
# it through (for_user), and the API route of the object.
# Deletions are not offered: the payload points at an object its owner can still read.
_VISIT = ("visit", CleaningSchedule, "api:v1:visit-detail")
_INSPECTION = ("inspection", SiteInspectionLog, "api:v1:inspection-detail")
_STOCK_ITEM = ("stock_item", SupplyInventory, "api:v1:stock-item-detail")
OBJECT_TYPES = {
    EventKind.VISIT_CREATED: _VISIT,
    EventKind.VISIT_CHANGED: _VISIT,
    EventKind.VISIT_STATUS_CHANGED: _VISIT,
    EventKind.INSPECTION_FILED: _INSPECTION,
    EventKind.INSPECTION_CHANGED: _INSPECTION,
    EventKind.ACTION_RESOLVED: _INSPECTION,
    EventKind.STOCK_CHANGED: _STOCK_ITEM,
    EventKind.STOCK_LOW: _STOCK_ITEM,
}
WEBHOOK_KINDS = [(kind.value, kind.label) for kind in OBJECT_TYPES]


# --- Endpoints ------------------------------------------------------------------------------


def webhook_url_check(url):
    """Refuse (ValidationError on "url") a URL that is not https or leads into a private
    network, resolving the host now (see api.webhooks.network)."""
    try:
        network.check_target(url)
    except network.UnsafeTarget as refused:
        raise ValidationError({"url": refused.message}, code="unsafe_url") from None


def _clean(*, name, url, events):
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the endpoint a name.")
    wanted = list(dict.fromkeys(events or ()))
    if not wanted:
        errors["events"] = _("Choose at least one event.")
    elif set(wanted) - set(OBJECT_TYPES):
        errors["events"] = _("Choose events from the list.")
    try:
        webhook_url_check(url)
    except ValidationError as refused:
        errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    return name, url, sorted(wanted)


@transaction.atomic
def webhook_endpoint_create(*, owner, name, url, events):
    """Register an endpoint owned by `owner` with a new secret (`endpoint.secret`: show it to
    the user once, now; it is never displayed again)."""
    name, url, events = _clean(name=name, url=url, events=events)
    return WebhookEndpoint.objects.create(
        owner=owner, name=name, url=url, events=events, secret=signing.new_secret()
    )


@transaction.atomic
def webhook_endpoint_update(*, endpoint, name, url, events):
    """Change the name, URL and events of `endpoint`; its secret and owner stay."""
    endpoint.name, endpoint.url, endpoint.events = _clean(name=name, url=url, events=events)
    endpoint.save(update_fields=["name", "url", "events", "updated_at"])
    return endpoint


def webhook_endpoint_pause(*, endpoint, reason=PauseReason.BY_USER, now=None):
    """Stop delivering to `endpoint`: its pending deliveries wait, new events are not queued."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(
        paused_at=now or timezone.now(), pause_reason=reason, updated_at=timezone.now()
    )
    endpoint.refresh_from_db(fields=["paused_at", "pause_reason", "updated_at"])
    return endpoint


def webhook_endpoint_resume(*, endpoint):
    """Deliver again, starting with what waited; the failure count starts over."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        paused_at=None, pause_reason="", consecutive_failures=0, updated_at=timezone.now()
    )
    endpoint.refresh_from_db(fields=["paused_at", "pause_reason", "consecutive_failures"])
    return endpoint


def webhook_endpoint_delete(*, endpoint):
    """Delete `endpoint` with its deliveries and their log."""
    endpoint.delete()


# --- Events → outbox ------------------------------------------------------------------------


def webhook_event_received(event: Event):
    """The event subscriber: one pending delivery per active endpoint that wants `event.kind`.
    Runs after the change committed; receiving the same event twice writes nothing more."""
    endpoints = [e for e in WebhookEndpoint.objects.active() if e.wants(event.kind)]
    if not endpoints:
        return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event.id,
                kind=event.kind,
                occurred_at=event.occurred_at,
                object_id=event.object_id,
                site_id=event.site_id,
                changes=dict(event.changes),
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    return len(endpoints)


# --- Delivery -------------------------------------------------------------------------------


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes."""
    return dt.timedelta(minutes=2 ** (attempts - 1))


def _api_url(route, pk):
    try:
        path = reverse(route, kwargs={"pk": pk})
    except NoReverseMatch:
        return None
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def webhook_payload(delivery):
    """The JSON the endpoint receives, or None when its owner may not see the object (or its
    site) any more: the owner must be active, still manage webhooks, and see both through
    `for_user`. Nothing is sent beyond ids, the site code and what the event says changed."""
    owner = delivery.endpoint.owner
    if not owner.is_active or not owner.has_perm("api.manage_webhooks"):
        return None
    object_type, model, route = OBJECT_TYPES[EventKind(delivery.kind)]
    if not model.objects.for_user(owner).filter(pk=delivery.object_id).exists():
        return None
    code = (
        ClientSite.objects.for_user(owner)
        .filter(pk=delivery.site_id)
        .values_list("site_code", flat=True)
        .first()
    )
    if code is None:
        return None
    occurred = delivery.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return {
        "id": str(delivery.event_id),
        "kind": delivery.kind,
        "occurred_at": occurred,
        "object": {
            "type": object_type,
            "id": delivery.object_id,
            "url": _api_url(route, delivery.object_id),
        },
        "site": {"id": delivery.site_id, "code": code},
        "changes": delivery.changes,
    }


def webhook_deliver(delivery_id, *, now=None):
    """Try to send one delivery, if it is due; return its status afterwards, or None when it
    was not this call's to send (already delivered, given up, not due, endpoint paused, or
    claimed by another run). Safe to call twice: a delivered row is never sent again."""
    now = now or timezone.now()
    # Claim the row in one conditional UPDATE; the HTTP call then runs outside any transaction.
    claimed = (
        WebhookDelivery.objects.due(now)
        .filter(pk=delivery_id)
        .update(next_attempt_at=now + CLAIM_LEASE)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint__owner").get(pk=delivery_id)
    endpoint = delivery.endpoint
    payload = webhook_payload(delivery)
    if payload is None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SKIPPED,
            next_attempt_at=None,
            last_error=_("Not sent: the endpoint's owner may not see this object."),
        )
        return DeliveryStatus.SKIPPED
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = signing.signed_headers(
        endpoint.secret,
        webhook_id=str(delivery.event_id),
        timestamp=int(now.timestamp()),
        body=body,
    )
    status_code, excerpt, error = None, "", ""
    try:
        answer = network.post(
            endpoint.url,
            body=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except network.UnsafeTarget as refused:
        error = _("Refused: %(reason)s") % {"reason": refused.message}
    except network.DeliveryError as failure:
        error = str(failure)
    else:
        status_code, excerpt = answer.status, answer.excerpt[:EXCERPT_CHARS]
        if 300 <= status_code < 400:
            error = _("Redirects are not followed: answer with 2xx at the registered URL.")
    return _record_attempt(
        delivery, now=now, status_code=status_code, excerpt=excerpt, error=error[:EXCERPT_CHARS]
    )


@transaction.atomic
def _record_attempt(delivery, *, now, status_code, excerpt, error):
    attempts = delivery.attempts + 1
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=attempts,
        attempted_at=now,
        status_code=status_code,
        response_excerpt=excerpt,
        error=error,
    )
    changes = {
        "attempts": attempts,
        "last_status_code": status_code,
        "last_response": excerpt,
        "last_error": error,
    }
    endpoints = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    if status_code is not None and 200 <= status_code < 300:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)
        endpoints.update(consecutive_failures=0)
    else:
        if attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            changes.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        else:
            changes.update(next_attempt_at=now + retry_delay(attempts))
        endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
        paused = endpoints.filter(
            paused_at__isnull=True,
            consecutive_failures__gte=settings.WEBHOOK_PAUSE_AFTER_FAILURES,
        ).update(paused_at=now, pause_reason=PauseReason.FAILING, updated_at=now)
        if paused:
            logger.warning(
                "Webhook endpoint %s paused after repeated failures", delivery.endpoint_id
            )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
    return changes.get("status", DeliveryStatus.PENDING)


def webhooks_deliver_due(*, limit=500):
    """Send up to `limit` due deliveries, oldest first; return {status: count}."""
    ids = list(
        WebhookDelivery.objects.due()
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for delivery_id in ids:
        status = webhook_deliver(delivery_id)
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts
