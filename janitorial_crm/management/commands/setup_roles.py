from django.core.management.base import BaseCommand

from janitorial_crm.roles import setup_roles


class Command(BaseCommand):
    help = "Create the six role groups with their permissions (idempotent)."

    def handle(self, *args, **options):
        created = setup_roles(using=options.get("database") or "default")
        self.stdout.write(self.style.SUCCESS(f"Roles ready ({created} created)."))
