from django.apps import AppConfig


class PickersConfig(AppConfig):
    """The search endpoints behind the autocomplete pickers (`AutocompletePicker`): one JSON
    list of options per kind of picker, read from the same scoped querysets as the form fields
    that use them. It sits with the composition layer: it reads several domain apps, and no
    domain app imports it (forms name its routes by URL name only)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pickers"
