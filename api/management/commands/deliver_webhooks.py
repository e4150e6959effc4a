"""Send the webhook deliveries that are due. Run it every minute (cron, a systemd timer)."""

from django.core.management.base import BaseCommand

from api.webhooks.services import webhooks_deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries (retries included). Safe to run twice at once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Send at most this many in this run."
        )

    def handle(self, *args, limit, **options):
        counts = webhooks_deliver_due(limit=max(limit, 0))
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(f"Webhook deliveries: {summary or 'none due'}.")
