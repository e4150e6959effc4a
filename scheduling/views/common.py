"""Pieces the scheduling views share."""

from django.core.exceptions import ValidationError

from janitorial_crm.mixins import ScopedActionView
from janitorial_crm.redirects import redirect_next
from scheduling.models import CleaningSchedule


def error_text(error):
    """One readable line from a ValidationError (field or not)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class VisitActionView(ScopedActionView):
    """A POST-only action on one visit, behind the gate: the model permission (403 without
    it), the scoped lookup (404 outside the user's visits), then the subclass's
    `object_permission` predicate (403 when it says no)."""

    model = CleaningSchedule
    permission_required = "scheduling.view_cleaningschedule"

    def get_queryset(self):
        return super().get_queryset().select_related("site", "assigned_to")

    def back(self, visit):
        return redirect_next(self.request, visit.get_absolute_url())
