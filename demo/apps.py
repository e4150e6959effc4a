from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a local install (`seed_demo`) and the large benchmark data set. The top
    floor: it may read every domain app, and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
