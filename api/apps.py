from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): the domain apps' querysets, permission predicates and services
    behind DRF, with personal tokens for programs; and webhooks, which tell integrations about
    events. The top floor, beside `portal`: it may read every domain app, and no domain app
    imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api.webhooks.services import webhook_event_received
        from janitorial_crm import events

        events.subscribe(webhook_event_received)
