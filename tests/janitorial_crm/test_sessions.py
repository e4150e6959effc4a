"""Sessions live in the cache (written through to the database) only when the cache is shared."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from janitorial_crm.roles import Role
from tests.factories import make_user
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def shared_cache(settings):
    settings.CACHE_SHARED = True
    settings.SESSION_ENGINE = CACHED_DB


def session_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_a_session_is_read_from_the_shared_cache_and_kept_in_the_database(shared_cache, client):
    user = make_user(Role.COORDINATOR, username="cora")
    response = client.post(reverse("login"), {"username": "cora", "password": PASSWORD})
    assert response.status_code == 302
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    response, reads = session_queries(client, reverse("scheduling:visit_list"))
    assert response.status_code == 200
    assert response.context["user"] == user
    assert reads == []


def test_logout_ends_the_session_in_the_cache_and_the_database(shared_cache, client):
    make_user(Role.COORDINATOR, username="cora")
    client.post(reverse("login"), {"username": "cora", "password": PASSWORD})
    key = client.session.session_key
    assert cache.get(KEY_PREFIX + key) is not None

    assert client.post(reverse("logout")).status_code == 302

    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(KEY_PREFIX + key) is None
    # The old cookie, replayed, is a stranger's: the portal sends it to the login page.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(reverse("scheduling:visit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_without_a_shared_cache_sessions_are_read_from_the_database(settings, client, coordinator):
    settings.CACHE_SHARED = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(coordinator)
    response, reads = session_queries(client, reverse("scheduling:visit_list"))
    assert response.status_code == 200
    assert len(reads) == 1


def settings_under(**env):
    """CACHE_SHARED and SESSION_ENGINE as the settings module computes them for `env`."""
    base = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "CACHE_SHARED"}}
    code = "from janitorial_crm import settings as s; print(s.CACHE_SHARED, s.SESSION_ENGINE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    shared, engine = result.stdout.split()
    return shared == "True", engine


def test_only_a_redis_or_memcached_cache_url_turns_on_cached_sessions():
    assert settings_under() == (False, "django.contrib.sessions.backends.db")
    assert settings_under(CACHE_URL="redis://127.0.0.1:6379/1") == (True, CACHED_DB)
    assert settings_under(CACHE_URL="pymemcache://127.0.0.1:11211") == (True, CACHED_DB)
    assert settings_under(CACHE_URL="redis://127.0.0.1:6379/1", CACHE_SHARED="False") == (
        False,
        "django.contrib.sessions.backends.db",
    )
