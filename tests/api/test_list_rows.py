"""The API's lists answer from `values()` rows (api/rows.py): the JSON must be byte for byte what
the serializers give for the same rows — nulls, dates, times and moments in the company's zone,
decimals, nested site/assignee fields, photo URLs, the fields a caller may not see — and the
number of queries must not grow with the number of rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from api.views.inspections import InspectionSerializer
from api.views.sites import SiteSerializer
from api.views.stock import StockItemSerializer
from api.views.visits import VisitSerializer
from inspections.models import PhotoKind, SiteInspectionLog
from inventory.models import SupplyInventory
from scheduling.models import CleaningSchedule, VisitStatus
from sites.models import ClientSite, SiteMembership
from tests.clock import NOW
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    InspectionPhotoFactory,
    StockItemFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "visits": ("/api/v1/visits/", CleaningSchedule, VisitSerializer),
    "sites": ("/api/v1/sites/", ClientSite, SiteSerializer),
    "stock": ("/api/v1/stock-items/", SupplyInventory, StockItemSerializer),
    "inspections": ("/api/v1/inspections/", SiteInspectionLog, InspectionSerializer),
}


@pytest.fixture
def rows(site, other_site, technician, inspector, coordinator, client_user):
    """Rows with every kind of value: nulls, overnight times, blank and non-ASCII text,
    decimals, resolved and open actions, photos."""
    VisitFactory(site=site, assigned_to=technician, notes="Lobby — «buff» the floor")
    VisitFactory(
        site=other_site,
        assigned_to=None,
        start_time=dt.time(22, 0),
        end_time=dt.time(2, 30),
        status=VisitStatus.COMPLETED,
        started_at=NOW - dt.timedelta(hours=5),
        completed_at=NOW - dt.timedelta(hours=1),
        status_changed_at=NOW - dt.timedelta(hours=1),
    )
    ClientSiteFactory(site_name="Zürich Tower", address="", primary_contact=coordinator)
    StockItemFactory(site=site, quantity_on_hand=Decimal("2.50"), reorder_level=Decimal("5"))
    StockItemFactory(
        site=other_site,
        quantity_on_hand=Decimal("40"),
        par_level=Decimal("60.25"),
        last_restocked_at=NOW - dt.timedelta(days=3),
    )
    SiteMembership.objects.filter(site=site, user=client_user).update(can_see_inspections=True)
    with_photos = InspectionFactory(site=site, inspector=inspector, corrective_actions="Re-mop.")
    for kind in (PhotoKind.FINDING, PhotoKind.AFTER):
        InspectionPhotoFactory(log=with_photos, kind=kind)
    InspectionFactory(
        site=site,
        inspector=inspector,
        corrective_actions="Replace the mat.",
        resolved_at=NOW - dt.timedelta(hours=2),
        resolved_by=coordinator,
        resolution_note="Done",
        internal_notes="Tell nobody",
    )
    InspectionFactory(site=other_site, inspector=inspector, score=0)


def serializer_json(response, model, serializer_class):
    """What the serializer renders for the rows of `response`, in its order."""
    ids = [row["id"] for row in response.json()["results"]]
    objects = model.objects.in_bulk(ids)
    request = Request(response.wsgi_request)
    request.user = response.wsgi_request.user
    data = serializer_class([objects[pk] for pk in ids], many=True, context={"request": request})
    return JSONRenderer().render(data.data)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", ["coordinator", "client_user", "technician"])
def test_a_list_is_byte_for_byte_what_the_serializer_renders(
    request, api, rows, media_files, endpoint, role
):
    url, model, serializer_class = ENDPOINTS[endpoint]
    response = api(request.getfixturevalue(role)).get(url)
    if response.status_code == 403:  # a role without the list (a client and stock, visits)
        return
    assert response.status_code == 200
    assert response.json()["results"], "the comparison needs rows"
    expected = serializer_json(response, model, serializer_class)
    assert b'"results":' + expected in response.content


def test_the_comparison_sees_nulls_photos_and_hidden_fields(api, rows, coordinator, client_user):
    visits = api(coordinator).get(ENDPOINTS["visits"][0]).json()["results"]
    assert {row["assigned_to_name"] for row in visits} == {None, visits[0]["assigned_to_name"]}
    assert any(row["is_overnight"] for row in visits)
    logs = api(coordinator).get(ENDPOINTS["inspections"][0]).json()["results"]
    photos = [photo for log in logs for photo in log["photos"]]
    assert len(photos) == 2 and photos[0]["url"].startswith("http://testserver/api/v1/")
    assert "internal_notes" in logs[0]
    hidden = api(client_user).get(ENDPOINTS["inspections"][0]).json()["results"]
    assert hidden and "internal_notes" not in hidden[0] and "inspector" not in hidden[0]
    sites = api(client_user).get(ENDPOINTS["sites"][0]).json()["results"]
    assert sites and "internal_notes" not in sites[0]


MAKE = {
    "visits": lambda n, site: VisitFactory.create_batch(n, site=site),
    "sites": lambda n, site: ClientSiteFactory.create_batch(n),
    "stock": lambda n, site: StockItemFactory.create_batch(n, site=site),
    "inspections": lambda n, site: InspectionFactory.create_batch(n, site=site),
}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_a_list_runs_as_many_queries_for_50_rows_as_for_2(api, coordinator, site, endpoint):
    client = api(coordinator)
    url = f"{ENDPOINTS[endpoint][0]}?page_size=100"
    MAKE[endpoint](2, site)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        few_rows = len(client.get(url).json()["results"])
    MAKE[endpoint](48, site)
    with CaptureQueriesContext(connection) as many:
        many_rows = len(client.get(url).json()["results"])
    assert many_rows >= 50 > few_rows
    assert len(many.captured_queries) == len(few.captured_queries)
