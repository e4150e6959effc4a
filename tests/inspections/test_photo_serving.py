"""Photos reach a browser only through the permission-checked photo view: streamed by Django
in development, handed to nginx with X-Accel-Redirect in production. MEDIA_URL is not routed."""

import pytest
from django.urls import reverse

from tests.factories import (
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(site):
    return InspectionPhotoFactory(log=InspectionFactory(site=site))


def photo_url(photo, variant="full"):
    return reverse("inspections:photo", args=[photo.pk, variant])


@pytest.mark.parametrize(("variant", "field"), [("full", "image"), ("thumb", "thumbnail")])
def test_django_mode_streams_the_stored_bytes_to_an_allowed_user(
    settings, login, inspector, photo, variant, field
):
    settings.MEDIA_SERVE_MODE = "django"

    response = login(inspector).get(photo_url(photo, variant))

    stored = getattr(photo, field)
    with stored.open("rb") as handle:
        expected = handle.read()
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == expected
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nginx_mode_answers_with_x_accel_redirect_to_the_internal_location(
    settings, login, coordinator, photo
):
    settings.MEDIA_SERVE_MODE = "nginx"
    settings.MEDIA_INTERNAL_PREFIX = "/protected-media/"

    response = login(coordinator).get(photo_url(photo, "thumb"))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + photo.thumbnail.name
    assert response.content == b""


def test_unauthorised_users_get_404_whatever_the_id(login, photo, other_site, client):
    outsider = make_user("Inspector")
    SiteMembershipFactory(site=other_site, user=outsider)
    technician_elsewhere = make_user("Technician")
    ungranted = make_user("Client")
    SiteMembershipFactory(site=photo.log.site, user=ungranted, can_see_inspections=False)

    for user in (outsider, technician_elsewhere, ungranted):
        assert login(user).get(photo_url(photo)).status_code == 404
        assert login(user).get(photo_url(photo, "thumb")).status_code == 404
    assert (
        login(outsider).get(reverse("inspections:photo", args=[999999, "full"])).status_code == 404
    )


def test_anonymous_and_waiting_users_never_get_the_bytes(client, waiting_user, photo):
    response = client.get(photo_url(photo))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    client.force_login(waiting_user)
    response = client.get(photo_url(photo))
    assert response.status_code == 302 and "waiting" in response["Location"]


def test_media_url_is_not_routed(login, coordinator, photo, settings):
    response = login(coordinator).get("/" + settings.MEDIA_URL.strip("/") + "/" + photo.image.name)

    assert response.status_code == 404


def test_a_missing_file_is_404_not_500(settings, login, coordinator, photo):
    settings.MEDIA_SERVE_MODE = "django"
    photo.image.storage.delete(photo.image.name)

    assert login(coordinator).get(photo_url(photo)).status_code == 404


def test_unknown_variant_is_not_routed(login, coordinator, photo):
    assert login(coordinator).get(f"/inspections/photos/{photo.pk}/original/").status_code == 404
