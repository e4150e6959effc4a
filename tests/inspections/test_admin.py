"""Django admin on the same layer: scoped, photos previewed through the protected view, and
deleting an inspection deletes its files."""

import pytest
from django.urls import reverse

from inspections.models import SiteInspectionLog
from tests.factories import InspectionFactory, InspectionPhotoFactory

pytestmark = pytest.mark.django_db


def test_admin_change_page_previews_photos_through_the_protected_view(
    login, supervisor, site, settings
):
    photo = InspectionPhotoFactory(log=InspectionFactory(site=site))

    html = (
        login(supervisor)
        .get(reverse("admin:inspections_siteinspectionlog_change", args=[photo.log.pk]))
        .content.decode()
    )

    assert reverse("inspections:photo", args=[photo.pk, "thumb"]) in html
    assert settings.MEDIA_URL + photo.image.name not in html


def test_admin_delete_removes_the_photo_files(
    login, supervisor, site, media_files, django_capture_on_commit_callbacks
):
    log = InspectionPhotoFactory(log=InspectionFactory(site=site)).log
    assert len(media_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = login(supervisor).post(
            reverse("admin:inspections_siteinspectionlog_delete", args=[log.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not SiteInspectionLog.objects.exists()
    assert media_files() == []
