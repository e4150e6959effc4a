"""Database helpers shared by the apps' services."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@contextmanager
def unique_violation_as(
    field_errors: Mapping[str, "StrOrPromise"], *, taken: Callable[[], bool]
) -> Iterator[None]:
    """Run the block in a savepoint; a unique constraint that refuses it becomes a form error.

    A form checks that a value is free, but someone may save the same value between that check
    and this write, and the database's unique constraint then refuses it. If `taken()` confirms
    that another row now holds the value, ValidationError(`field_errors`) is raised (the view
    shows it next to the field, not a 500); any other IntegrityError is raised as it was.

        with unique_violation_as({"sku": _("...")}, taken=lambda: _sku_taken(item)):
            item.save()
    """
    try:
        # A savepoint: on PostgreSQL the refused statement must not spoil the caller's
        # transaction, in which `taken()` then runs.
        with transaction.atomic():
            yield
    except IntegrityError:
        if not taken():
            raise
        raise ValidationError(dict(field_errors), code="unique") from None
