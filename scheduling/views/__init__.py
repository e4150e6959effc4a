"""Scheduling views, one module per feature: planning (visits), the board, the field pages
("My day" and its POST-only actions) and the calendar feed."""

from scheduling.views.board import BoardView
from scheduling.views.calendar import (
    CalendarFeedRegenerateView,
    CalendarFeedRevokeView,
    CalendarFeedView,
    calendar_feed_ics,
)
from scheduling.views.field import (
    MyDayView,
    VisitCompleteView,
    VisitNoteView,
    VisitStartView,
)
from scheduling.views.visits import (
    SeriesUpdateView,
    VisitCancelView,
    VisitCreateView,
    VisitDetailView,
    VisitListView,
    VisitMoveView,
    VisitStatusView,
    VisitUpdateView,
)

__all__ = [
    "BoardView",
    "CalendarFeedRegenerateView",
    "CalendarFeedRevokeView",
    "CalendarFeedView",
    "MyDayView",
    "SeriesUpdateView",
    "VisitCancelView",
    "VisitCompleteView",
    "VisitCreateView",
    "VisitDetailView",
    "VisitListView",
    "VisitMoveView",
    "VisitNoteView",
    "VisitStartView",
    "VisitStatusView",
    "VisitUpdateView",
    "calendar_feed_ics",
]
