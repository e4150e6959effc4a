"""The secret tokens of the personal iCal feeds."""

import secrets

from django.db import transaction
from django.utils import timezone

from scheduling.models import CalendarFeedToken


@transaction.atomic
def calendar_token_regenerate(*, user):
    """Give `user` a new feed token; the previous URL stops working at once."""
    token, _created = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32), "revoked_at": None}
    )
    return token


@transaction.atomic
def calendar_token_revoke(*, user):
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
