"""The fixed clock and the fixed cast.

The clock: see tests/clock.py. The cast: one user per role, plus a site each field user and
the client belong to.

`site` is the cast's own site (technician, inspector and client are members; the client holds
the inspection grant); `other_site` has nobody from the cast.
"""

from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from janitorial_crm.roles import Role
from tests import clock
from tests.factories import ClientSiteFactory, SiteMembershipFactory, make_user


@pytest.fixture(autouse=True)
def frozen(request, settings):
    """Every test runs at `tests.clock.NOW` in the company zone; `frozen.move_to(...)` moves it.

    Tests marked `real_clock` (the browser tests: the browser, the live server and its session
    cookies share the machine's real clock) run unfrozen and get None.
    """
    settings.TIME_ZONE = clock.ZONE_NAME
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(clock.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True
    # Rate limits count in the cache: each test starts with none used.
    cache.clear()


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def superuser(db):
    return make_user(None, username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def supervisor(db):
    return make_user(Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def coordinator(db):
    return make_user(Role.COORDINATOR, username="coordinator")


@pytest.fixture
def technician(db):
    return make_user(Role.TECHNICIAN, username="technician")


@pytest.fixture
def inspector(db):
    return make_user(Role.INSPECTOR, username="inspector")


@pytest.fixture
def client_user(db):
    return make_user(Role.CLIENT, username="clientuser")


@pytest.fixture
def waiting_user(db):
    return make_user(None, username="newbie")


@pytest.fixture
def site(db, technician, inspector, client_user):
    site = ClientSiteFactory(site_code="OWN-1", site_name="Own Tower")
    SiteMembershipFactory(site=site, user=technician)
    SiteMembershipFactory(site=site, user=inspector)
    SiteMembershipFactory(site=site, user=client_user, can_see_inspections=True)
    return site


@pytest.fixture
def other_site(db):
    return ClientSiteFactory(site_code="OTHER-1", site_name="Other Plaza")


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as `user` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def media_files(settings):
    """`media_files()` lists every file under MEDIA_ROOT (relative paths, sorted)."""

    def _files():
        root = Path(settings.MEDIA_ROOT)
        if not root.exists():
            return []
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return _files


@pytest.fixture
def live_stream():
    """The live stream's path (the pages open it)."""
    return reverse("live:stream")
