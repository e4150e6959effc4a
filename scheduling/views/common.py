"""Pieces the scheduling views share."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from janitorial_crm.mixins import ScopedActionView
from scheduling.models import CleaningSchedule


def next_url(request, default):
    """The `next` parameter if it points back into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


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
        return redirect(next_url(self.request, visit.get_absolute_url()))
