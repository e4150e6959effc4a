"""How a delivery is signed: `Webhook-Signature: v1=<hex HMAC-SHA256>` of "{id}.{timestamp}.{body}"
with the endpoint's secret (the whole string, UTF-8). docs/API.md has the receiver's side."""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105 - a public marker, not a secret
SIGNATURE_VERSION = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, *, webhook_id: str, timestamp: int, body: bytes) -> str:
    message = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(secret: str, *, webhook_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": "JanitorialCRM-Webhooks/1",
        "Webhook-Id": webhook_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(
            secret, webhook_id=webhook_id, timestamp=timestamp, body=body
        ),
    }
