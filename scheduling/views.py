from django.views.generic import DetailView

from janitorial_crm.mixins import PortalPermissionMixin, ScopedListView, ScopedQuerysetMixin
from scheduling.models import CleaningSchedule


class CleaningScheduleListView(ScopedListView):
    model = CleaningSchedule
    permission_required = "scheduling.view_cleaningschedule"
    filterset_fields = []


class CleaningScheduleDetailView(ScopedQuerysetMixin, PortalPermissionMixin, DetailView):
    model = CleaningSchedule
    permission_required = "scheduling.view_cleaningschedule"
