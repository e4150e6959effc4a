"""Headers every response needs: no shared caching of a user's pages, security headers on errors."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from tests.factories import ClientSiteFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")


def assert_security_headers(response):
    for header in SECURITY_HEADERS:
        assert response.has_header(header), header
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def cache_directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_portal_page_for_a_logged_in_user_is_never_stored(login, coordinator):
    response = login(coordinator).get("/sites/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_csv_export_for_a_logged_in_user_is_never_stored(login, coordinator):
    ClientSiteFactory()
    response = login(coordinator).get("/sites/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert {"private", "no-store"} <= cache_directives(response)


def test_an_admin_page_for_a_logged_in_user_is_never_stored(login, supervisor):
    response = login(supervisor).get("/admin/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_redirect_for_a_logged_in_user_is_never_stored_either(login, coordinator):
    response = login(coordinator).get("/accounts/login/")
    assert response.status_code == 302
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_request_with_a_bad_host_gets_a_400_with_the_security_headers(client):
    response = client.get("/accounts/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_security_headers(response)


def test_the_database_down_500_page_carries_the_security_headers(coordinator, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)

    def database_down(self):
        raise OperationalError("could not connect to server")

    # The first middleware to load the user's session meets the outage, not a view.
    monkeypatch.setattr(SessionStore, "load", database_down)
    response = client.get("/sites/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert_security_headers(response)
