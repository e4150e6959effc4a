"""Delete inspection photo files that no row refers to.

The services already remove the files of a failed write; this is the safety net for the one
case they cannot see (a caller's outer transaction rolling back after the photos were written)
and for files left by a crash. Files younger than --older-than-hours are left alone, so an
upload in flight is never touched. Works through the storage API (disk or object storage).
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections.models import InspectionPhoto

FOLDERS = ("inspections", "inspections/thumbs")


class Command(BaseCommand):
    help = "Delete inspection photo files that no inspection photo row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24)
        parser.add_argument("--dry-run", action="store_true", help="Only list what would go.")

    def handle(self, *args, older_than_hours, dry_run, **options):
        storage = InspectionPhoto._meta.get_field("image").storage
        cutoff = timezone.now() - dt.timedelta(hours=older_than_hours)
        referenced = set()
        for image, thumbnail in InspectionPhoto.objects.values_list("image", "thumbnail"):
            referenced.update((image, thumbnail))
        removed = 0
        for folder in FOLDERS:
            if not storage.exists(folder):
                continue
            _dirs, files = storage.listdir(folder)
            for filename in files:
                name = f"{folder}/{filename}"
                if name in referenced or storage.get_modified_time(name) > cutoff:
                    continue
                self.stdout.write(f"{'would delete' if dry_run else 'deleting'} {name}")
                if not dry_run:
                    storage.delete(name)
                removed += 1
        self.stdout.write(self.style.SUCCESS(f"{removed} orphan file(s)."))
