"""Writes about API tokens."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from janitorial_crm.models import User

# Every token starts with this, so that a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "jcrm_"  # noqa: S105  # nosec B105 - a public marker, not a secret
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# A bearer value longer than this is not one of ours; it is refused before any hashing.
MAX_TOKEN_LENGTH = 100


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal token for `user`. Returns (token, raw): `raw` is shown once and never
    stored; only its digest is."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=token_digest(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    """Revoke `token` at once (idempotent: revoking twice keeps the first time)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str | None, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The usable token for the bearer value `raw`, or None; records when it was last used."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.usable(now).select_related("user").filter(digest=token_digest(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
