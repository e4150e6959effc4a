"""May this user do X to this visit? One small predicate per action (docs/ACCESS.md).

Which visits a user sees at all is `CleaningSchedule.objects.for_user(user)`; these predicates
are asked about visits already inside that scope, so a "no" here is a 403, never a 404.
"""

from janitorial_crm.models import User
from scheduling.models import STATUS_TRANSITIONS, CleaningSchedule, VisitStatus

MANAGE = "scheduling.manage_visits"
CHANGE_STATUS = "scheduling.change_visit_status"


def can_plan(user: User) -> bool:
    """Create visits and series, use the dispatch board."""
    return user.has_perm(MANAGE) and user.has_perm("scheduling.add_cleaningschedule")


def can_edit(user: User, visit: CleaningSchedule) -> bool:
    """Change the plan of a visit: technician, date, times, notes (and its series)."""
    return user.has_perm(MANAGE) and user.has_perm("scheduling.change_cleaningschedule")


def can_cancel(user: User, visit: CleaningSchedule) -> bool:
    return can_edit(user, visit) and visit.status in (
        VisitStatus.SCHEDULED,
        VisitStatus.IN_PROGRESS,
    )


def _works_on(user: User, visit: CleaningSchedule) -> bool:
    """The visit's own technician, or a planner (who may act for anyone)."""
    return visit.assigned_to_id == user.pk or user.has_perm(MANAGE)


def can_change_status(user: User, visit: CleaningSchedule) -> bool:
    """Start, complete and annotate: technicians on their own visits, planners on any."""
    return user.has_perm(CHANGE_STATUS) and _works_on(user, visit)


def can_transition(user: User, visit: CleaningSchedule, to_status: str) -> bool:
    """May `user` move `visit` to `to_status`? Planner-only moves need manage_visits."""
    planners_only = STATUS_TRANSITIONS.get((visit.status, to_status))
    if planners_only is None:
        # Not a move that exists; the service refuses it with a clear message.
        return can_change_status(user, visit)
    if planners_only:
        return user.has_perm(MANAGE)
    return can_change_status(user, visit)


def can_add_note(user: User, visit: CleaningSchedule) -> bool:
    return can_change_status(user, visit)


def can_use_calendar_feed(user: User) -> bool:
    """Everyone who can be given visits may subscribe to them."""
    return user.has_perm(CHANGE_STATUS)
