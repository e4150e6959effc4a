"""The world the access matrix runs in: one user per role and objects that are theirs, a
colleague's, and at a site nobody of the cast is assigned to.

Built once per test module inside a transaction that is rolled back at the end; each test runs
in a savepoint inside it (pytest-django's `db`), so whatever a POST changes is undone. The world
is built on the suite's clock (tests/clock.py) like everything else: a module fixture runs
before the per-test `frozen` fixture, so it travels there itself.
"""

import datetime as dt
import io
import uuid
from types import SimpleNamespace

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from PIL import Image

from api.models import WebhookDelivery
from inspections.photos import process_photo
from inspections.services import inspection_update
from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from janitorial_crm.roles import Role
from scheduling.models import Frequency, VisitSeries
from scheduling.services.calendar import calendar_token_regenerate
from sites.models import SiteMembership
from tests import clock
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    WebhookEndpointFactory,
    make_user,
)

ROLES = [
    "anonymous",
    "waiting",
    "admin",
    "supervisor",
    "coordinator",
    "technician",
    "inspector",
    "client",
    "client_nogrant",
]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def access_media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, access_media):
    """Replaces the suite-wide fixture: the world's photos live in the module's media folder."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.MEDIA_ROOT = access_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, access_media):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=access_media),
        time_machine.travel(clock.NOW, tick=False),
        transaction.atomic(),
    ):
        world = build_world()
        world["sessions"] = {role: _session_for(user) for role, user in world["users"].items()}
        yield world
        transaction.set_rollback(True)


def build_world():
    users = {
        "admin": make_user(Role.ADMIN, username="w-admin"),
        "supervisor": make_user(Role.SUPERVISOR, username="w-supervisor"),
        "coordinator": make_user(Role.COORDINATOR, username="w-coordinator"),
        "technician": make_user(Role.TECHNICIAN, username="w-tech"),
        "colleague": make_user(Role.TECHNICIAN, username="w-colleague"),
        "inspector": make_user(Role.INSPECTOR, username="w-inspector"),
        "colleague_inspector": make_user(Role.INSPECTOR, username="w-colleague-inspector"),
        "stranger": make_user(Role.TECHNICIAN, username="w-stranger"),
        "client": make_user(Role.CLIENT, username="w-client"),
        "client_nogrant": make_user(Role.CLIENT, username="w-client-nogrant"),
        "waiting": make_user(None, username="w-waiting"),
    }
    own = ClientSiteFactory(site_code="OWN", site_name="Own site")
    other = ClientSiteFactory(site_code="OTHER", site_name="Other site")
    for key in ("technician", "colleague", "inspector", "colleague_inspector"):
        SiteMembershipFactory(site=own, user=users[key])
    SiteMembershipFactory(site=own, user=users["client"], can_see_inspections=True)
    SiteMembershipFactory(site=own, user=users["client_nogrant"], can_see_inspections=False)
    day = clock.TODAY + dt.timedelta(days=1)
    series = VisitSeries.objects.create(
        site=own,
        assigned_to=users["technician"],
        frequency=Frequency.WEEKLY,
        first_date=day,
        start_time=dt.time(6, 0),
        end_time=dt.time(7, 0),
        materialised_until=day,
    )
    world = {
        "site_own": own,
        "site_other": other,
        # Made-up keys: they must answer exactly like an object out of scope.
        "site_missing": SimpleNamespace(site_code="NOPE"),
        "visit_missing": SimpleNamespace(pk=10**9),
        "series_own": series,
        "visit_own": VisitFactory(site=own, assigned_to=users["technician"], service_date=day),
        "visit_series_own": VisitFactory(
            site=own,
            assigned_to=users["technician"],
            service_date=day,
            series=series,
            frequency=Frequency.WEEKLY,
            start_time=dt.time(6, 0),
            end_time=dt.time(7, 0),
        ),
        "visit_colleague": VisitFactory(
            site=own,
            assigned_to=users["colleague"],
            service_date=day,
            start_time=dt.time(8, 0),
            end_time=dt.time(9, 0),
        ),
        "visit_other": VisitFactory(
            site=other,
            assigned_to=users["colleague"],
            service_date=day,
            start_time=dt.time(10, 0),
            end_time=dt.time(11, 0),
        ),
        "item_own": StockItemFactory(site=own),
        "item_other": StockItemFactory(site=other),
        "inspection_own": InspectionFactory(
            site=own, inspector=users["inspector"], corrective_actions="Fix the mop sink."
        ),
        "inspection_by_tech": InspectionFactory(site=own, inspector=users["technician"]),
        "inspection_colleague": InspectionFactory(
            site=own, inspector=users["colleague_inspector"], corrective_actions="Fix the mats."
        ),
        "inspection_other": InspectionFactory(
            site=other, inspector=make_user(Role.INSPECTOR), corrective_actions="Reline bins."
        ),
    }
    world["membership_own"] = SiteMembership.objects.get(site=own, user=users["technician"])
    # The inspector's and the client's own memberships: a member may not remove themselves.
    world["membership_inspector"] = SiteMembership.objects.get(site=own, user=users["inspector"])
    world["membership_client"] = SiteMembership.objects.get(site=own, user=users["client"])
    world["membership_other"] = SiteMembershipFactory(site=other)
    # Another site's membership asked for through the own site's URL.
    world["membership_crossed"] = SimpleNamespace(site=own, pk=world["membership_other"].pk)
    world["photo_own"] = _photo_for(world["inspection_own"])
    world["photo_colleague"] = _photo_for(world["inspection_colleague"])
    world["photo_other"] = _photo_for(world["inspection_other"])
    world["movement_own"] = stock_apply_movement(
        item=world["item_own"], kind=MovementKind.RESTOCK, quantity=1, by=users["coordinator"]
    )
    calendar_token_regenerate(user=users["technician"])
    world["feed_token_technician"] = users["technician"].calendar_feed_token
    world["user_technician"] = users["technician"]
    world["group_technician"] = Group.objects.get(name=Role.TECHNICIAN.value)
    # One row of each login-lockout log (django-axes), for their admin pages.
    request = {"user_agent": "pytest", "http_accept": "*/*", "path_info": "/accounts/login/"}
    world["axes_attempt"] = AccessAttempt.objects.create(
        username="w-tech", get_data="", post_data="", failures_since_start=1, **request
    )
    world["axes_log"] = AccessLog.objects.create(username="w-tech", **request)
    world["axes_failure"] = AccessFailureLog.objects.create(username="w-tech", **request)
    world["webhook_own"] = WebhookEndpointFactory(owner=users["coordinator"])
    world["webhook_delivery_own"] = WebhookDelivery.objects.create(
        endpoint=world["webhook_own"],
        event_id=uuid.UUID(int=1),
        kind="visit.status_changed",
        occurred_at=clock.NOW,
        object_id=world["visit_own"].pk,
        site_id=own.pk,
    )
    return {"users": users, **world}


def _session_for(user):
    """A logged-in session cookie for `user`, made once: a test sets it rather than logging in."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _photo_for(log):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(buffer, "JPEG")
    photo = process_photo(SimpleUploadedFile("p.jpg", buffer.getvalue()))
    inspection_update(log=log, photos=[photo])
    return log.photos.get()
