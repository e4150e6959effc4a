from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_roles_after_migrate(using, **kwargs):
    from janitorial_crm.roles import setup_roles

    setup_roles(using=using)


class JanitorialCrmConfig(AppConfig):
    name = "janitorial_crm"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Roles are data every database needs (tests, fresh installs, after a flush); the
        # `setup_roles` command runs the same idempotent function on demand.
        post_migrate.connect(_setup_roles_after_migrate, sender=self)
        # A role or permission change is seen on the next request (janitorial_crm/access_cache).
        from janitorial_crm.access_cache import connect_signals

        connect_signals()
