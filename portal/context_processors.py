from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from inventory.models import SupplyInventory


def navigation(request):
    """The low-stock badge of the navigation, counted only if a template shows it.

    The badge redraws itself on the live stream's stock events (`portal:low_stock_badge`), on
    pages that open a stream anyway: `nav_live_types` adds `stock` to theirs.

    With a shared cache the count is reused for LOW_STOCK_BADGE_SECONDS, so that a page does not
    pay a COUNT over the stock for its badge: one entry for everyone who sees every site, one per
    user otherwise. The badge's own fragment, asked for when stock changed, always counts afresh
    and stores what it counted for the pages that follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("inventory.adjust_stock"):
        return {}

    def count():
        return SupplyInventory.objects.for_user(user).low().count()

    if getattr(settings, "CACHE_SHARED", False):
        key = "nav:low-stock:" + ("all" if user.sees_everything else str(user.pk))
        match = getattr(request, "resolver_match", None)
        fresh = match is not None and match.view_name == "portal:low_stock_badge"
        low_stock_count = SimpleLazyObject(lambda: _cached_count(key, count, fresh=fresh))
    else:
        low_stock_count = SimpleLazyObject(count)
    return {"low_stock_count": low_stock_count, "nav_live_types": ("stock",)}


def _cached_count(key, count, *, fresh):
    value = None if fresh else cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, timeout=settings.LOW_STOCK_BADGE_SECONDS)
    return value
