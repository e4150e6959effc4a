from django.views.generic import DetailView

from inventory.models import SupplyInventory
from janitorial_crm.mixins import PortalPermissionMixin, ScopedListView, ScopedQuerysetMixin


class SupplyInventoryListView(ScopedListView):
    model = SupplyInventory
    permission_required = "inventory.view_supplyinventory"
    filterset_fields = []


class SupplyInventoryDetailView(ScopedQuerysetMixin, PortalPermissionMixin, DetailView):
    model = SupplyInventory
    permission_required = "inventory.view_supplyinventory"
