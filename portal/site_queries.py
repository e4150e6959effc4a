"""Site columns read from other apps (stock, inspections), composed where every app may be
read. Each is one subquery, so a list of sites stays at a constant number of queries."""

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from janitorial_crm.wall_clock import days_before


def _low_items():
    return SupplyInventory.objects.filter(
        site=OuterRef("pk"), quantity_on_hand__lte=F("reorder_level")
    ).order_by()


def _inspections():
    return SiteInspectionLog.objects.filter(site=OuterRef("pk")).order_by()


def with_low_stock(sites):
    """Sites holding at least one item at or below its reorder level."""
    return sites.filter(Exists(_low_items()))


def not_inspected_within(sites, days, *, now=None):
    """Sites with no inspection in the last `days` days (never-inspected sites included)."""
    cutoff = days_before(now or timezone.now(), days)
    return sites.filter(~Exists(_inspections().filter(inspection_date__gte=cutoff)))


def with_low_stock_count(sites):
    counted = _low_items().values("site").annotate(n=Count("pk")).values("n")
    return sites.annotate(low_stock_count=Coalesce(Subquery(counted), 0))


def with_last_inspection(sites):
    latest = _inspections().order_by("-inspection_date").values("inspection_date")[:1]
    return sites.annotate(last_inspected_at=Subquery(latest))
