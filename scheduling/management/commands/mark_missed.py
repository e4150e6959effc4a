"""Mark visits that ended without being started as missed (run hourly, e.g. from cron).

Idempotent: a visit is marked once; the history records the change with no author (system).
"""

from django.core.management.base import BaseCommand

from scheduling import services


class Command(BaseCommand):
    help = "Mark past visits that never started as missed."

    def handle(self, *args, **options):
        count = services.visits_mark_missed()
        self.stdout.write(self.style.SUCCESS(f"{count} visits marked missed."))
