"""Rate limits for the public forms that send e-mail (sign-up, password reset).

Fixed hourly windows counted in Django's cache: with several workers, CACHE_URL must name a
shared cache (Redis) so that they count together. The client address is resolved the way the
login lockout resolves it, so both honour the same proxy settings.
"""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _digest(value: str) -> str:
    # Cache keys stay short and free of characters some backends refuse.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def throttle_allows(request: HttpRequest, *, action: str, email: str | None = None) -> bool:
    """Count one `action` by this client, and one mail towards `email`; False once over budget.

    The per-address budget is shared by every action: each of them sends that address a mail,
    whether or not it belongs to an account, so a refusal reveals nothing about accounts.
    """
    client = get_client_ip_address(request) or "unknown"
    allowed = _count(f"throttle:{action}:ip:{_digest(client)}") <= settings.THROTTLE_PER_IP
    if email is not None:
        per_address = _count(f"throttle:mail:{_digest(email.strip().lower())}")
        allowed = allowed and per_address <= settings.THROTTLE_PER_EMAIL
    return allowed
