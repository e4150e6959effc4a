"""The secret tokens of the personal iCal feeds (stored as hashes, shown once)."""

import secrets

from django.db import transaction
from django.utils import timezone

from janitorial_crm.models import User
from scheduling.models import CalendarFeedToken, hash_feed_token


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> str:
    """Give `user` a new feed token; the previous URL stops working at once.

    Returns the token itself: only its hash is stored, so this is the one moment it can be
    shown to its owner.
    """
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token_hash": hash_feed_token(token), "revoked_at": None}
    )
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> int:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
