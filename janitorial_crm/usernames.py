"""The one spelling of a username that login, the login lockout and sign-up compare.

Login accepts a username in any case, with stray spaces and in compatibility forms (full-width
letters); if the lockout counted failures per username as typed, each spelling would get its own
fresh guesses. Everything that decides "is this the same account" goes through `username_key`.
"""

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

# django-axes stores the username in a varchar(255): a longer key fails the write on PostgreSQL.
# Normalisation can lengthen a string, so the key is cut after it.
AXES_USERNAME_LENGTH = 255


def username_key(value: object) -> str:
    """`value` without surrounding spaces, NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def axes_username(
    request: HttpRequest | None, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """AXES_USERNAME_CALLABLE: lock out the account, not the spelling that was typed."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    if typed is None:
        return None
    return username_key(typed)[:AXES_USERNAME_LENGTH]
