from django.views.generic import DetailView

from inspections.models import SiteInspectionLog
from janitorial_crm.mixins import PortalPermissionMixin, ScopedListView, ScopedQuerysetMixin


class SiteInspectionLogListView(ScopedListView):
    model = SiteInspectionLog
    permission_required = "inspections.view_siteinspectionlog"
    filterset_fields = []


class SiteInspectionLogDetailView(ScopedQuerysetMixin, PortalPermissionMixin, DetailView):
    model = SiteInspectionLog
    permission_required = "inspections.view_siteinspectionlog"
