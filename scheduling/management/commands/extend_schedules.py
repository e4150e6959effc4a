"""Roll every active visit series forward to the planning horizon (run daily, e.g. from cron).

Idempotent: a second run creates nothing. A visit whose technician is already booked at that
time is created unassigned (the board highlights it) and listed here.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from scheduling import services


class Command(BaseCommand):
    help = "Materialise the visits of every active series up to SCHEDULE_HORIZON_WEEKS ahead."

    def add_arguments(self, parser):
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            help="Materialise up to this date (YYYY-MM-DD) instead of the horizon setting.",
        )

    def handle(self, *args, until=None, **options):
        created, clashes = services.series_extend_all(horizon=until)
        for clash in clashes:
            self.stdout.write(
                self.style.WARNING(
                    f"Left unassigned on {clash.service_date}: the technician already has "
                    f"{services.describe_visit(clash.visit)}"
                )
            )
        self.stdout.write(self.style.SUCCESS(f"{len(created)} visits created."))
