"""The OpenAPI schema and the interactive docs are served by the application, with no CDN."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_json_with_the_bearer_scheme():
    response = APIClient().get(reverse("api:v1:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, created on the portal's “API tokens” page.",
    }
    assert "basicAuth" not in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_everything_from_this_application(client):
    response = client.get(reverse("api:v1:docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script>" not in html  # no inline script or style: the CSP allows none
    assert "<style>" not in html
