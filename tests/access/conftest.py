"""The world the access matrix runs in: one user per role and objects that are theirs, a
colleague's, and at a site nobody of the cast is assigned to.

Built once per test module inside a transaction that is rolled back at the end; each test runs
in a savepoint inside it (pytest-django's `db`), so whatever a POST changes is undone.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from PIL import Image

from inspections.photos import process_photo
from inspections.services import inspection_update
from janitorial_crm.roles import Role
from scheduling.models import Frequency, VisitSeries
from sites.models import SiteMembership
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
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def build_world():
    users = {
        "admin": make_user(Role.ADMIN, username="w-admin"),
        "supervisor": make_user(Role.SUPERVISOR, username="w-supervisor"),
        "coordinator": make_user(Role.COORDINATOR, username="w-coordinator"),
        "technician": make_user(Role.TECHNICIAN, username="w-tech"),
        "colleague": make_user(Role.TECHNICIAN, username="w-colleague"),
        "inspector": make_user(Role.INSPECTOR, username="w-inspector"),
        "client": make_user(Role.CLIENT, username="w-client"),
        "client_nogrant": make_user(Role.CLIENT, username="w-client-nogrant"),
        "waiting": make_user(None, username="w-waiting"),
    }
    own = ClientSiteFactory(site_code="OWN", site_name="Own site")
    other = ClientSiteFactory(site_code="OTHER", site_name="Other site")
    for key in ("technician", "colleague", "inspector"):
        SiteMembershipFactory(site=own, user=users[key])
    SiteMembershipFactory(site=own, user=users["client"], can_see_inspections=True)
    SiteMembershipFactory(site=own, user=users["client_nogrant"], can_see_inspections=False)
    day = dt.date.today() + dt.timedelta(days=1)
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
        "inspection_other": InspectionFactory(
            site=other, inspector=make_user(Role.INSPECTOR), corrective_actions="Reline bins."
        ),
    }
    world["membership_own"] = SiteMembership.objects.get(site=own, user=users["technician"])
    world["membership_other"] = SiteMembershipFactory(site=other)
    world["photo_own"] = _photo_for(world["inspection_own"])
    world["photo_other"] = _photo_for(world["inspection_other"])
    world["webhook_own"] = WebhookEndpointFactory(owner=users["coordinator"])
    return {"users": users, **world}


def _photo_for(log):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(buffer, "JPEG")
    photo = process_photo(SimpleUploadedFile("p.jpg", buffer.getvalue()))
    inspection_update(log=log, photos=[photo])
    return log.photos.get()
