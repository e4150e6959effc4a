#!/usr/bin/env python
"""EXPLAIN ANALYZE the queries behind the benchmarked pages, on the configured database.

Builds each query through the apps' public querysets (`for_user`, `.low()`, `.between()` ...),
so it checks the indexes the pages really need. Best on PostgreSQL with the large data set:

    DATABASE_URL=postgres://... .venv/bin/python bench/explain.py [--plans]

Prints the execution time of each query and whether it reads a whole large table (a
sequential scan over more than --big rows), which is what an index should prevent.
"""

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def queries():
    """(label, queryset) pairs: what the list filters, boards and hubs ask for."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.utils import timezone

    from inspections.models import SiteInspectionLog
    from inventory.models import SupplyInventory
    from scheduling.models import CleaningSchedule
    from sites.models import ClientSite, SiteMembership

    User = get_user_model()
    coordinator = User.objects.get(username="coord001")
    busiest = (
        CleaningSchedule.objects.filter(assigned_to__username__regex=r"^tech[0-9]+$")
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .order_by("-n", "assigned_to")
        .first()
    )
    technician = User.objects.get(pk=busiest["assigned_to"])
    inspector = User.objects.get(username="insp001")
    site = ClientSite.objects.filter(visits__assigned_to=technician).first()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    # The shape proposed for ClientSite.objects.for_user(technician): each branch one index
    # lookup, instead of an OR across a join of memberships and every visit of every site.
    technician_sites = ClientSite.objects.filter(
        Q(pk__in=SiteMembership.objects.filter(user=technician).values("site"))
        | Q(pk__in=CleaningSchedule.objects.filter(assigned_to=technician).values("site"))
    )
    visits = CleaningSchedule.objects.select_related("site", "assigned_to")
    logs = SiteInspectionLog.objects.select_related("site", "inspector")
    items = SupplyInventory.objects.select_related("site")
    return [
        (
            "visits: technician + week (visit list filter)",
            visits.for_user(coordinator)
            .filter(assigned_to=technician)
            .between(monday, sunday)
            .order_by("service_date", "start_time")[:25],
        ),
        (
            "visits: one week, all technicians (board)",
            visits.for_user(coordinator).between(monday, sunday).order_by(),
        ),
        (
            "visits: today's, one technician (my day)",
            visits.for_user(technician).on(today).order_by("start_time"),
        ),
        (
            "visits: status + date (missed this month)",
            visits.filter(status="missed", service_date__gte=today - dt.timedelta(days=30))[:25],
        ),
        (
            "visits: one site, newest first (site hub)",
            visits.filter(site=site).order_by("-service_date", "-start_time")[:10],
        ),
        ("inspections: list page, newest first", logs.for_user(coordinator)[:25]),
        ("inspections: one site, newest first", logs.filter(site=site)[:10]),
        (
            "inspections: date range",
            logs.filter(
                inspection_date__date__gte=monday - dt.timedelta(days=28),
                inspection_date__date__lte=sunday,
            )[:25],
        ),
        ("inspections: open actions", logs.open_actions()[:25]),
        ("inspections: as a technician", logs.for_user(technician)[:25]),
        ("inspections: as an inspector", logs.for_user(inspector)[:25]),
        (
            "stock: low, by site",
            items.for_user(coordinator).low().order_by("site", "item_name")[:25],
        ),
        ("stock: low count (navigation badge)", SupplyInventory.objects.low().order_by()),
        ("stock: one site's items", items.filter(site=site).order_by("item_name")),
        ("sites: list page", ClientSite.objects.for_user(coordinator).order_by("site_name")[:25]),
        ("sites: as a technician (for_user as written)", ClientSite.objects.for_user(technician)),
        ("sites: as a technician (two pk__in subqueries, proposed)", technician_sites),
        (
            "inspections: as a technician (with the proposed sites query)",
            logs.filter(site__in=technician_sites)[:25],
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", action="store_true", help="print every plan in full")
    parser.add_argument("--big", type=int, default=5000, help="rows that make a table large")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "janitorial_crm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE output is only interpreted for PostgreSQL (set DATABASE_URL).")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [args.big]
        )
        big_tables = {row[0] for row in cursor.fetchall()}
    for label, queryset in queries():
        plan = queryset.explain(analyze=True)
        took = re.search(r"Execution Time: ([0-9.]+) ms", plan).group(1)
        scanned = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)) & big_tables)
        flag = f"  <- full scan of {', '.join(scanned)}" if scanned else ""
        print(f"{float(took):8.1f} ms  {label}{flag}")
        if args.plans:
            print(plan, "\n")


if __name__ == "__main__":
    main()
