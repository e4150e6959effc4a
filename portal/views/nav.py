"""Pieces of the navigation that redraw themselves."""

from django.views.generic import TemplateView

from janitorial_crm.mixins import PortalPermissionMixin


class LowStockBadgeView(PortalPermissionMixin, TemplateView):
    """The navigation's low-stock badge alone, for the badge to redraw itself when the live
    stream announces a stock change: cheaper than any page that carries it (one count, from the
    `navigation` context processor). Gated like the badge itself: only those who see it."""

    permission_required = "inventory.adjust_stock"
    template_name = "includes/_low_stock_badge.html"
