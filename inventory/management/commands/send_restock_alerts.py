"""Daily job: e-mail the coordinators the items that became low since the last digest."""

from django.core.management.base import BaseCommand

from inventory.services import stock_send_restock_alerts


class Command(BaseCommand):
    help = (
        "E-mail each active coordinator a digest of the stock items that became low since the "
        "last digest (each item once per spell of low stock). Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        items, recipients = stock_send_restock_alerts()
        if not recipients:
            self.stdout.write(self.style.WARNING("No active coordinator with an e-mail address."))
        elif not items:
            self.stdout.write("No item became low since the last digest.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Digest of {items} items sent to {recipients} coordinators.")
            )
