"""Inspections over the API: filed with photos through the phone form's pipeline and service;
clients see what the portal shows them; actions resolved through the same service."""

import pytest
from django.urls import reverse

from inspections.models import InspectionPhoto, SiteInspectionLog
from tests.factories import InspectionFactory, InspectionPhotoFactory, uploaded_image

pytestmark = pytest.mark.django_db

LIST = reverse("api:v1:inspection-list")


def detail(log):
    return reverse("api:v1:inspection-detail", args=[log.pk])


def filing(site, **extra):
    return {"site": site.pk, "score": "82", "findings": "Lobby glass streaked.", **extra}


def test_an_inspector_files_an_inspection_with_photos(api, inspector, site, media_files):
    body = filing(site, photos=[uploaded_image("a.jpg"), uploaded_image("b.jpg")])

    response = api(inspector).post(LIST, body, format="multipart")

    assert response.status_code == 201, response.json()
    log = SiteInspectionLog.objects.get()
    assert (log.inspector, log.score, log.photos.count()) == (inspector, 82, 2)
    assert len(response.json()["photos"]) == 2
    assert len(media_files()) == 4  # two photos, two thumbnails


def test_a_bad_photo_refuses_the_whole_filing_and_leaves_no_file(api, inspector, site, media_files):
    body = filing(site, photos=[uploaded_image("a.jpg"), uploaded_image("x.jpg", b"not a photo")])

    response = api(inspector).post(LIST, body, format="multipart")

    assert response.status_code == 400
    assert "photos" in response.json()["errors"]
    assert not SiteInspectionLog.objects.exists()
    assert media_files() == []


def test_filing_at_a_site_outside_the_scope_is_refused(api, inspector, other_site):
    response = api(inspector).post(LIST, filing(other_site))

    assert response.status_code == 400
    assert "site" in response.json()["errors"]
    assert not SiteInspectionLog.objects.exists()


def test_the_inspector_is_the_caller_whatever_the_body_says(api, inspector, supervisor, site):
    api(inspector).post(LIST, filing(site, inspector=supervisor.pk, resolved_by=supervisor.pk))

    log = SiteInspectionLog.objects.get()
    assert (log.inspector, log.resolved_by) == (inspector, None)


def test_a_future_inspection_is_refused_like_on_the_phone(api, inspector, site):
    response = api(inspector).post(LIST, filing(site, inspection_date="2026-11-26T09:00"))

    assert response.status_code == 400
    assert "future" in response.json()["errors"]["inspection_date"][0]


def test_a_client_never_gets_internal_notes_or_the_inspector(api, client_user, site):
    log = InspectionFactory(site=site, internal_notes="Staff only: door code 1234")

    data = api(client_user).get(detail(log)).json()

    assert data["id"] == log.pk
    assert not {"internal_notes", "inspector", "inspector_name", "resolved_by"} & set(data)
    assert "1234" not in str(data)


def test_a_client_without_the_grant_sees_no_inspection(api, site, client_user):
    from sites.models import SiteMembership

    SiteMembership.objects.filter(user=client_user).update(can_see_inspections=False)
    log = InspectionFactory(site=site)

    assert api(client_user).get(detail(log)).status_code == 404


def test_a_client_can_write_nothing(api, client_user, site):
    log = InspectionFactory(site=site, corrective_actions="Mop")

    created = api(client_user).post(LIST, filing(site))
    resolved = api(client_user).post(
        reverse("api:v1:inspection-resolve", args=[log.pk]), {"note": "done"}
    )

    assert (created.status_code, resolved.status_code) == (403, 403)
    log.refresh_from_db()
    assert log.resolved_at is None


def test_a_coordinator_resolves_an_action_with_an_after_photo(api, coordinator, site):
    log = InspectionFactory(site=site, corrective_actions="Replace mats")

    response = api(coordinator).post(
        reverse("api:v1:inspection-resolve", args=[log.pk]),
        {"note": "Mats replaced", "photo": uploaded_image("after.jpg")},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    log.refresh_from_db()
    assert (log.resolved_by, log.resolution_note) == (coordinator, "Mats replaced")
    assert InspectionPhoto.objects.get().kind == "after"


def test_the_inspection_list_costs_the_same_for_20_and_200(
    api, coordinator, site, django_assert_max_num_queries
):
    client = api(coordinator)
    InspectionFactory.create_batch(20, site=site)
    with django_assert_max_num_queries(9) as few:
        client.get(LIST)
    InspectionFactory.create_batch(180, site=site)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"page_size": 200})
    assert len(response.json()["results"]) == 200


def test_a_photo_is_downloaded_through_the_same_check(
    api, inspector, client_user, site, other_site
):

    photo = InspectionPhotoFactory(log=InspectionFactory(site=site))
    hidden = InspectionPhotoFactory(log=InspectionFactory(site=other_site))
    log_data = api(client_user).get(detail(photo.log)).json()
    url = log_data["photos"][0]["url"]

    response = api(client_user).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert api(inspector).get(reverse("api:v1:photo-detail", args=[hidden.pk])).status_code == 404
