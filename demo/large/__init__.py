"""The large demo data set: a mid-size contractor's year, for the benchmark and for EXPLAIN.

`seed_large()` builds ~200 users, 1,000 sites with their members, 50,000 visits over a year
centred on today (recurring series, overnight work, every status), 10,000 stock items with the
movement ledger behind their quantities, and 20,000 inspections. `scale` multiplies the counts.
It is deterministic (seeded generators; dates are relative to today), uses bulk inserts in one
transaction, and never deletes anything. `seed_demo --scale large` calls it.
"""

import itertools
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, transaction

from demo.large.builder import Builder
from demo.large.vocabulary import (
    INSPECTIONS,
    ITEMS_PER_SITE,
    LARGE_PASSWORD,
    ROLE_COUNTS,
    SITES,
    USERNAME_STEMS,
    VISITS,
)
from inspections.models import SiteInspectionLog
from inventory.models import StockMovement, SupplyInventory
from janitorial_crm.roles import setup_roles
from scheduling.models import CleaningSchedule, VisitSeries, VisitStatusChange
from sites.models import ClientSite, SiteMembership

__all__ = ["ITEMS_PER_SITE", "LARGE_PASSWORD", "USERNAME_STEMS", "planned_counts", "seed_large"]


def planned_counts(scale=1.0):
    """How many rows of each kind `seed_large(scale=...)` creates (at least one of each)."""

    def n(base):
        return max(1, round(base * scale))

    sites = n(SITES)
    return {
        "users": {role: n(count) for role, count in ROLE_COUNTS.items()},
        "sites": sites,
        "visits": n(VISITS),
        "stock_items": sites * ITEMS_PER_SITE,
        "inspections": n(INSPECTIONS),
    }


def seed_large(*, stdout, scale=1.0, force=False):
    """Add the large demo data set; returns what it made (counts, name prefix, seconds).

    Refuses a database that already has sites unless `force`: then it adds a second set whose
    usernames and site codes carry a run prefix (``r2.tech001``, ``R2-S0001``), deleting nothing.
    """
    if scale <= 0:
        raise CommandError("The scale must be a positive number.")
    if not force and ClientSite.objects.exists():
        raise CommandError(
            "This database already has sites; the large demo data set is meant for an empty "
            "database. Use --force to add a second, separately named set (nothing is deleted)."
        )
    started = time.monotonic()
    user_prefix, code_prefix = _run_prefixes()
    builder = Builder(
        stdout=stdout,
        counts=planned_counts(scale),
        started=started,
        user_prefix=user_prefix,
        code_prefix=code_prefix,
    )
    with (
        transaction.atomic(),
        _explicit_timestamps(
            VisitSeries, CleaningSchedule, SupplyInventory, StockMovement, SiteInspectionLog
        ),
    ):
        setup_roles()
        builder.run()
    if connection.vendor == "postgresql":
        # Fresh planner statistics, so that the first queries after a seed use the indexes.
        models = [ClientSite, SiteMembership, VisitSeries, CleaningSchedule, VisitStatusChange]
        models += [SupplyInventory, StockMovement, SiteInspectionLog, get_user_model()]
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    seconds = time.monotonic() - started
    builder.say(f"Large demo data ready in {seconds:.1f} s (password for all: {LARGE_PASSWORD})")
    return {"prefix": user_prefix, "seconds": seconds, "rows": builder.rows}


@contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create keep the created_at/updated_at we set: a year of history must not be
    stamped "now", and the stock ledger is ordered by created_at."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _run_prefixes():
    """(username prefix, site code prefix) of the first run whose names are all free."""
    User = get_user_model()
    for run in itertools.count(1):
        user_prefix, code_prefix = ("", "") if run == 1 else (f"r{run}.", f"R{run}-")
        taken = (
            User.objects.filter(username__iexact=f"{user_prefix}tech001").exists()
            or ClientSite.objects.filter(site_code=f"{code_prefix}S0001").exists()
        )
        if not taken:
            return user_prefix, code_prefix
    raise AssertionError("unreachable")  # pragma: no cover
