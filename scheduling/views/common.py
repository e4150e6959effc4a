"""Pieces the scheduling views share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views import View

from janitorial_crm.mixins import PortalPermissionMixin
from janitorial_crm.redirects import redirect_next
from scheduling.models import CleaningSchedule


def error_text(error):
    """One readable line from a ValidationError (field or not)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class VisitActionView(PortalPermissionMixin, View):
    """A POST-only action on one visit: the model permission (403 without it), the scoped
    lookup (404 outside the user's visits), then the subclass's `allowed(user, visit)`
    predicate (403 when it says no)."""

    http_method_names = ["post"]
    permission_required = "scheduling.view_cleaningschedule"

    def allowed(self, user, visit):  # pragma: no cover - every subclass answers
        raise NotImplementedError

    def get_visit(self):
        visits = CleaningSchedule.objects.for_user(self.request.user).select_related(
            "site", "assigned_to"
        )
        visit = get_object_or_404(visits, pk=self.kwargs["pk"])
        if not self.allowed(self.request.user, visit):
            raise PermissionDenied
        return visit

    def back(self, visit):
        return redirect_next(self.request, visit.get_absolute_url())
