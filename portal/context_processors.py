from django.utils.functional import SimpleLazyObject

from inventory.models import SupplyInventory


def navigation(request):
    """The low-stock badge of the navigation, counted only if a template shows it.

    The badge redraws itself on the live stream's stock events (`portal:low_stock_badge`), on
    pages that open a stream anyway: `nav_live_types` adds `stock` to theirs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("inventory.adjust_stock"):
        return {}
    return {
        "low_stock_count": SimpleLazyObject(
            lambda: SupplyInventory.objects.for_user(user).low().count()
        ),
        "nav_live_types": ("stock",),
    }
