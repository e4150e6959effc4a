"""Writes about visits that do more than save one form, keyword-only, each in one transaction.

- booking: double-booking checks under a row lock (`find_clashes`, `visit_check_slot`);
- planning: one-off visits and series, "this visit" / "this and following" changes;
- status: start/complete/cancel/missed moves (conditional, attributed), notes, `mark_missed`;
- calendar: feed tokens.
"""

from scheduling.services.booking import (
    Clash,
    describe_visit,
    find_clashes,
    horizon_date,
    visit_check_slot,
)
from scheduling.services.calendar import calendar_token_regenerate, calendar_token_revoke
from scheduling.services.planning import (
    series_cancel_from,
    series_check,
    series_checked_until,
    series_create,
    series_extend,
    series_extend_all,
    series_update_from,
    visit_check_not_in_past,
    visit_check_series_date,
    visit_create,
    visit_save,
    visit_update,
    visits_delete,
)
from scheduling.services.status import (
    StatusChangeRefused,
    visit_add_note,
    visit_transition,
    visits_mark_missed,
)

__all__ = [
    "Clash",
    "StatusChangeRefused",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "describe_visit",
    "find_clashes",
    "horizon_date",
    "series_cancel_from",
    "series_check",
    "series_checked_until",
    "series_create",
    "series_extend",
    "series_extend_all",
    "series_update_from",
    "visit_add_note",
    "visit_check_not_in_past",
    "visit_check_series_date",
    "visit_check_slot",
    "visit_create",
    "visit_save",
    "visit_transition",
    "visit_update",
    "visits_delete",
    "visits_mark_missed",
]
