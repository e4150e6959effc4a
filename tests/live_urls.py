"""The project's URLconf plus a stand-in for the live stream's route (`live:stream`), for the
pages' tests when the `live` app does not route it (the `live_stream` fixture): the pages only
need the stream's URL, never an answer from it."""

from django.http import HttpResponse
from django.urls import include, path

from janitorial_crm.urls import urlpatterns as project_urlpatterns


def stand_in_stream(request):
    return HttpResponse(status=204)


urlpatterns = [
    *project_urlpatterns,
    path("live/", include(([path("", stand_in_stream, name="stream")], "live"))),
]
