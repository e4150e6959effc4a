"""The site admin, composed where every app may be read: sites/admin.py defines it, the other
apps contribute their inlines (stock items, upcoming visits)."""

from django.contrib import admin

from inventory.admin import StockItemInline
from scheduling.admin import UpcomingVisitInline
from sites.admin import ClientSiteAdmin
from sites.models import ClientSite


@admin.register(ClientSite)
class ClientSiteWithWorkAdmin(ClientSiteAdmin):
    inlines = [*ClientSiteAdmin.inlines, StockItemInline, UpcomingVisitInline]
