from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What is composed from several domain apps: the role dashboards, the navigation badges
    and the site admin with its stock and visit inlines. The top floor: it may read every
    domain app, and no domain app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
