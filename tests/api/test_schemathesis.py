"""The API keeps the promises its OpenAPI schema makes, checked by schemathesis.

Every operation of the live schema (/api/v1/schema/) is called in-process, through the WSGI
application, with generated requests (valid and invalid) as the coordinator, a technician and a
client, against a small world where the ids exist. Each answer must be no 500 and match the
schema: a documented status code, the documented content type and a body of the documented
shape. Generation is derandomized with a fixed seed, so CI sees the same requests every run.

Size: 20 operations x 3 roles x 12 examples = 720 requests, 25-30 s on SQLite and 40-50 s on
PostgreSQL on one core. The coverage and stateful phases are off: they multiply the requests
without reaching code the examples do not.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from scheduling.models import VisitStatus
from tests import clock
from tests.factories import (
    InspectionFactory,
    InspectionPhotoFactory,
    StockItemFactory,
    VisitFactory,
    VisitSeriesFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/?format=json"
EXAMPLES_PER_OPERATION = 12
CONFIG = {
    "seed": 20261124,
    "generation": {
        "deterministic": True,
        "database": "none",
        "max-examples": EXAMPLES_PER_OPERATION,
    },
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(site, other_site, technician, inspector, coordinator):
    """Rows of every resource, in and out of the cast's scope, so generated ids can hit."""
    mine = VisitFactory(site=site, assigned_to=technician)
    VisitFactory(site=site, assigned_to=technician, status=VisitStatus.IN_PROGRESS)
    VisitFactory(site=other_site, service_date=clock.TODAY + dt.timedelta(days=1))
    series = VisitSeriesFactory(site=site, assigned_to=technician)
    item = StockItemFactory(site=site)
    StockItemFactory(site=other_site)
    log = InspectionFactory(site=site, inspector=inspector, corrective_actions="Polish glass.")
    InspectionFactory(site=other_site)
    photo = InspectionPhotoFactory(log=log)
    return {
        "sites": site.pk,
        "photos": photo.pk,
        "visits": mine.pk,
        "series": series.pk,
        "stock-items": item.pk,
        "inspections": log.pk,
        "body": {"site": site.pk, "assigned_to": technician.pk},
    }


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """What Django's test client does: the WSGI handler closes the database connection after
    each request when it is not in autocommit, which is the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["coordinator", "technician", "client_user"])
def caller(request, world):
    user = request.getfixturevalue(request.param)
    _token, raw = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


# Loaded when the module is collected (generating the schema reads no rows), so that each
# operation is a test of its own.
schema = schemathesis.openapi.from_wsgi(
    SCHEMA_URL, get_wsgi_application(), config=SchemathesisConfig.from_dict(CONFIG)
)


@schema.parametrize()
# The world and the caller's token are built once per operation and role, not per example: the
# examples share them (a visit one example cancels stays cancelled for the next, and the answer
# must still be a documented one).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_schema_says(case, caller, world):
    if case.meta.generation.mode == GenerationMode.POSITIVE:
        # Valid requests name rows that exist (drawn ids would nearly all be 404s); invalid
        # ones keep what was drawn, malformed ids included.
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = world[case.path.split("/")[3]]
        if isinstance(case.body, dict):
            case.body.update({k: v for k, v in world["body"].items() if k in case.body})
    cache.clear()  # the rate limit counts on a frozen clock; it has its own tests
    case.call_and_validate(headers=caller, checks=CHECKS)


# What schemathesis found, pinned as plain examples.


def test_stock_filtered_by_running_low_soon_or_sorted_by_days_left_answers(api, coordinator, world):
    client = api(coordinator)

    for query in ({"soon": "true"}, {"ordering": "-days_left"}, {"soon": "1", "low": "1"}):
        response = client.get("/api/v1/stock-items/", query)

        assert response.status_code == 200, query


def test_a_malformed_id_is_the_apis_404_not_the_portals_page(api, coordinator, world):
    response = api(coordinator).get("/api/v1/visits/1.5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_ledger_is_documented_with_the_cursor_pagination_it_answers_with(api, coordinator):
    schema = api().get("/api/v1/schema/", {"format": "json"}).json()

    ledger = schema["paths"]["/api/v1/stock-items/{id}/movements/"]["get"]
    names = {parameter["name"] for parameter in ledger["parameters"]}
    assert names == {"id", "cursor", "page_size"}
    assert ledger["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedStockMovementList"
    }
    page = schema["components"]["schemas"]["PaginatedStockMovementList"]
    assert "count" not in page["properties"]
