"""What a client sees of inspections: only at granted sites; date, score, findings, resolution
state and photos, never internal notes or staff details; a revoked grant hides them at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sites.models import SiteMembership
from tests.factories import (
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(site, coordinator):
    log = InspectionFactory(
        site=site,
        score=72,
        findings="Entrance mats soaked.",
        corrective_actions="Replace mats.",
        internal_notes="Night crew skipped the mats twice this week.",
        inspector=make_user("Inspector", full_name="Ines Inspector", email="ines@corp.example"),
        resolved_at=timezone.now(),
        resolved_by=coordinator,
        resolution_note="Talked to Maria about the mats.",
    )
    InspectionPhotoFactory(log=log)
    return log


def urls(log):
    photo = log.photos.get()
    return [
        reverse("inspections:inspection_detail", args=[log.pk]),
        reverse("inspections:photo", args=[photo.pk, "thumb"]),
        reverse("inspections:photo", args=[photo.pk, "full"]),
    ]


def test_granted_client_sees_outcome_and_photos_but_no_internal_notes(login, client_user, log):
    response = login(client_user).get(log.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "72" in html and "Entrance mats soaked." in html and "Resolved" in html
    assert reverse("inspections:photo", args=[log.photos.get().pk, "thumb"]) in html
    for secret in ("Night crew skipped", "Ines Inspector", "ines@corp.example", "Talked to Maria"):
        assert secret not in html


def test_staff_see_the_internal_notes(login, inspector, coordinator, log):
    for user in (inspector, coordinator):
        html = login(user).get(log.get_absolute_url()).content.decode()
        assert "Night crew skipped the mats" in html
        assert "Talked to Maria" in html


def test_client_without_the_grant_gets_404_for_the_inspection_and_its_photos(login, log):
    member = make_user("Client")
    SiteMembershipFactory(site=log.site, user=member, can_see_inspections=False)
    stranger = make_user("Client")

    for user in (member, stranger):
        for url in urls(log):
            assert login(user).get(url).status_code == 404, (user, url)


def test_revoking_the_grant_hides_inspections_and_photos_at_once(login, client_user, log):
    client = login(client_user)
    assert all(client.get(url).status_code == 200 for url in urls(log))

    SiteMembership.objects.filter(user=client_user, site=log.site).update(can_see_inspections=False)

    for url in urls(log):
        assert client.get(url).status_code == 404
    assert list(client.get(reverse("inspections:inspection_list")).context["object_list"]) == []


def test_detail_runs_a_fixed_number_of_queries(
    login, coordinator, log, django_assert_max_num_queries
):
    InspectionPhotoFactory.create_batch(5, log=log)
    client = login(coordinator)
    client.get(log.get_absolute_url())

    with django_assert_max_num_queries(10):
        assert client.get(log.get_absolute_url()).status_code == 200
