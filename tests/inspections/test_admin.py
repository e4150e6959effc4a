"""Django admin on the same layer: scoped, photos previewed through the protected view, and
deleting an inspection deletes its files."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionPhoto, SiteInspectionLog
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


def test_admin_cannot_delete_a_photo_on_its_own_and_leave_its_files(
    login, supervisor, site, media_files
):
    photo = InspectionPhotoFactory(log=InspectionFactory(site=site, score=60))
    log = photo.log
    url = reverse("admin:inspections_siteinspectionlog_change", args=[log.pk])
    client = login(supervisor)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="photos-0-DELETE"' not in page.content.decode()
    form = page.context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if name != "inspection_date" and form[name].value() is not None
    }
    local = timezone.localtime(log.inspection_date)
    data.update(
        {
            "inspection_date_0": f"{local:%Y-%m-%d}",
            "inspection_date_1": f"{local:%H:%M:%S}",
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "1",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
            "photos-0-id": photo.pk,
            "photos-0-log": log.pk,
            "photos-0-DELETE": "on",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302  # the inspection saved; the photo did not go
    assert InspectionPhoto.objects.filter(pk=photo.pk).exists()
    assert len(media_files()) == 2
