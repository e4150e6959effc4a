"""The project's URLconf without the live stream's route (the `no_live_stream` fixture): how
the pages are when no stream is routed."""

from django.urls import URLResolver

from janitorial_crm.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    entry
    for entry in project_urlpatterns
    if not (isinstance(entry, URLResolver) and entry.namespace == "live")
]
