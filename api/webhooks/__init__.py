"""Webhooks: signed HTTPS POSTs that tell an integration about events it subscribed to.

- `services`: register, change, pause, resume and delete endpoints; the event subscriber that
  writes one outbox row (WebhookDelivery) per endpoint per event after the change committed;
  `webhook_deliver(delivery_id)`, the idempotent job `deliver_webhooks` runs for each due row.
- `signing`: the HMAC-SHA256 signature (docs/API.md shows receivers how to verify it).
- `network`: the address policy (no way into private networks) and the HTTP client.
- `forms`, `views`: the portal pages.
"""
