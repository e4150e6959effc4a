from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from janitorial_crm import events
        from live.broker import forward_event

        events.subscribe(forward_event)
