"""API test helpers: a client that sends a personal token, and a clean throttle cache."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)` → an APIClient authenticated with a new personal token of `user`;
    `api()` → an anonymous one."""

    def _client(user=None):
        client = APIClient()
        if user is not None:
            _token, raw = api_token_create(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return _client
