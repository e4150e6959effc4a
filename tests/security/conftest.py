"""The world the junk sweep runs in: the cast (one user per role), their own site and a site
nobody of the cast is assigned to, each with a visit, a stock item and an inspection.

Built once per test module (and per xdist worker) inside a transaction that is rolled back at
the end; each test runs in a savepoint inside it (pytest-django's `db`), so whatever a request
changes is undone before the next test. Building the cast per test (the function-scoped
fixtures in tests/conftest.py) would cost more than the sweep itself.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from api.services import api_token_create
from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from janitorial_crm.roles import Role
from scheduling.models import Frequency
from scheduling.services import series_create
from scheduling.services.calendar import calendar_token_regenerate
from tests import clock
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    WebhookEndpointFactory,
    make_user,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def sweep_media(tmp_path_factory):
    return tmp_path_factory.mktemp("sweep-media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, sweep_media):
    """Replaces the suite-wide fixture: the world's photos live in the module's media folder."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.MEDIA_ROOT = sweep_media
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, sweep_media):
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=sweep_media, TIME_ZONE=clock.ZONE_NAME
        ),
        time_machine.travel(clock.NOW, tick=False),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def build_world():
    users = {
        "admin": make_user(Role.ADMIN, username="sweep-admin"),
        "supervisor": make_user(Role.SUPERVISOR, username="sweep-supervisor"),
        "coordinator": make_user(Role.COORDINATOR, username="sweep-coordinator"),
        "technician": make_user(Role.TECHNICIAN, username="sweep-technician"),
        "inspector": make_user(Role.INSPECTOR, username="sweep-inspector"),
        "client": make_user(Role.CLIENT, username="sweep-client"),
    }
    # Never logs in, so a password-reset link made for it stays valid during the sweep.
    resetter = make_user(Role.TECHNICIAN, username="sweep-resetter")
    own = ClientSiteFactory(site_code="OWN", site_name="Own site")
    other = ClientSiteFactory(site_code="OTHER", site_name="Other site")
    technician, inspector = users["technician"], users["inspector"]
    SiteMembershipFactory(site=own, user=technician)
    SiteMembershipFactory(site=own, user=inspector)
    SiteMembershipFactory(site=own, user=users["client"], can_see_inspections=True)
    tomorrow = clock.TODAY + dt.timedelta(days=1)
    visit = VisitFactory(site=own, assigned_to=technician, service_date=clock.TODAY)
    series = series_create(
        site=own,
        assigned_to=technician,
        frequency=Frequency.WEEKLY,
        first_date=tomorrow,
        start_time=dt.time(6, 0),
        end_time=dt.time(7, 0),
        by=users["coordinator"],
    )
    item = StockItemFactory(site=own, quantity_on_hand=Decimal("0"), reorder_level=Decimal("5"))
    stock_apply_movement(
        item=item, kind=MovementKind.RESTOCK, quantity=Decimal("12"), by=users["coordinator"]
    )
    inspection = InspectionFactory(
        site=own, inspector=inspector, schedule=visit, corrective_actions="Fix the mop sink."
    )
    return {
        "users": users,
        "resetter": resetter,
        "site_own": own,
        "site_other": other,
        "membership_own": own.memberships.get(user=technician),
        "visit_own": visit,
        "visit_series_own": series.visits.order_by("service_date").first(),
        "visit_other": VisitFactory(site=other, service_date=tomorrow),
        "item_own": item,
        "item_other": StockItemFactory(site=other),
        "inspection_own": inspection,
        "inspection_other": InspectionFactory(site=other),
        "photo_own": InspectionPhotoFactory(log=inspection),
        "feed_token": calendar_token_regenerate(user=technician),
        "series_own": series,
        "api_token": api_token_create(user=users["coordinator"], name="sweep")[0],
        "webhook_own": WebhookEndpointFactory(owner=users["coordinator"]),
    }
