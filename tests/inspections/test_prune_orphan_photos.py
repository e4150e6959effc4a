import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from inspections.models import InspectionPhoto
from tests.factories import InspectionFactory, InspectionPhotoFactory

pytestmark = pytest.mark.django_db


def age(path, hours):
    """Set the file's mtime `hours` before the test clock's now (a new file's own mtime is the
    machine's real time, which says nothing about the frozen clock)."""
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (old, old))


def test_prune_deletes_only_old_unreferenced_files(site, settings, media_files):
    kept = InspectionPhotoFactory(log=InspectionFactory(site=site))
    storage = InspectionPhoto._meta.get_field("image").storage
    old_orphan = storage.save("inspections/old-orphan.jpg", ContentFile(b"x"))
    new_orphan = storage.save("inspections/thumbs/new-orphan.jpg", ContentFile(b"x"))
    for name in (old_orphan, kept.image.name, kept.thumbnail.name):
        age(storage.path(name), hours=48)
    age(storage.path(new_orphan), hours=1)

    call_command("prune_orphan_photos", "--dry-run", stdout=io.StringIO())
    assert old_orphan in media_files()
    call_command("prune_orphan_photos", stdout=io.StringIO())

    assert sorted(media_files()) == sorted([kept.image.name, kept.thumbnail.name, new_orphan])
