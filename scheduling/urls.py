from django.urls import path, re_path

from scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit_list"),
    path("new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("my-day/", views.MyDayView.as_view(), name="my_day"),
    path("<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("<int:pk>/edit/", views.VisitUpdateView.as_view(), name="visit_update"),
    path(
        "<int:pk>/edit-following/",
        views.SeriesUpdateView.as_view(),
        name="visit_update_following",
    ),
    path("<int:pk>/move/", views.VisitMoveView.as_view(), name="visit_move"),
    path("<int:pk>/cancel/", views.VisitCancelView.as_view(), name="visit_cancel"),
    path("<int:pk>/status/", views.VisitStatusView.as_view(), name="visit_status"),
    path("<int:pk>/start/", views.VisitStartView.as_view(), name="visit_start"),
    path("<int:pk>/complete/", views.VisitCompleteView.as_view(), name="visit_complete"),
    path("<int:pk>/note/", views.VisitNoteView.as_view(), name="visit_note"),
    path("calendar/", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path(
        "calendar/regenerate/",
        views.CalendarFeedRegenerateView.as_view(),
        name="calendar_feed_regenerate",
    ),
    path("calendar/revoke/", views.CalendarFeedRevokeView.as_view(), name="calendar_feed_revoke"),
    # Only the token alphabet (secrets.token_urlsafe) reaches the view: anything else, like a
    # NUL byte that PostgreSQL refuses in a query, is a plain 404.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]+)\.ics$",
        views.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
]
