import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sites.models import ServiceLevel
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
)

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))
URL = "/sites/"


def codes(response):
    return [site.site_code for site in response.context["object_list"]]


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_coordinator_sees_every_site(login, coordinator, site, other_site):
    response = login(coordinator).get(URL)
    assert response.status_code == 200
    assert set(codes(response)) == {"OWN-1", "OTHER-1"}


@pytest.mark.parametrize("role", ["technician", "inspector", "client_user"])
def test_assigned_users_see_only_their_sites(request, login, role, site, other_site):
    response = login(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 200
    assert codes(response) == ["OWN-1"]
    assert b"OTHER-1" not in response.content


def test_search_matches_name_code_client_and_address(login, coordinator, db):
    ClientSiteFactory(site_code="AAA-1", site_name="Riverside Mall", client_name="Acme")
    ClientSiteFactory(site_code="BBB-2", site_name="Depot", client_name="Globex")
    ClientSiteFactory(site_code="CCC-3", site_name="Annex", address="9 Riverside Road")
    ClientSiteFactory(site_code="DDD-4", site_name="Tower", client_name="Initech")
    client = login(coordinator)
    assert set(codes(client.get(URL, {"q": "riverside"}))) == {"AAA-1", "CCC-3"}
    assert codes(client.get(URL, {"q": "bbb"})) == ["BBB-2"]
    assert codes(client.get(URL, {"q": "initech"})) == ["DDD-4"]


def test_filters_by_client_service_level_and_active(login, coordinator, db):
    ClientSiteFactory(site_code="A1", client_name="Acme", service_level=ServiceLevel.PREMIUM)
    ClientSiteFactory(site_code="A2", client_name="Acme", active=False)
    ClientSiteFactory(site_code="G1", client_name="Globex", service_level=ServiceLevel.PREMIUM)
    client = login(coordinator)
    assert set(codes(client.get(URL, {"client": "Acme"}))) == {"A1", "A2"}
    assert set(codes(client.get(URL, {"service_level": "premium"}))) == {"A1", "G1"}
    assert set(codes(client.get(URL, {"active": "1"}))) == {"A1", "G1"}
    assert codes(client.get(URL, {"active": "0"})) == ["A2"]
    assert codes(client.get(URL, {"client": "Acme", "active": "1"})) == ["A1"]


def test_low_stock_filter_keeps_sites_with_an_item_at_or_below_reorder_level(
    login, coordinator, db
):
    at_level = ClientSiteFactory(site_code="LOW-1")
    StockItemFactory(site=at_level, quantity_on_hand=Decimal("5"), reorder_level=Decimal("5"))
    fine = ClientSiteFactory(site_code="FINE-1")
    StockItemFactory(site=fine, quantity_on_hand=Decimal("6"), reorder_level=Decimal("5"))
    ClientSiteFactory(site_code="EMPTY-1")
    response = login(coordinator).get(URL, {"low_stock": "1"})
    assert codes(response) == ["LOW-1"]
    assert response.context["object_list"][0].low_stock_count == 1


@time_machine.travel(NOW, tick=False)
def test_not_inspected_days_keeps_stale_and_never_inspected_sites(login, coordinator, db):
    recent = ClientSiteFactory(site_code="RECENT")
    InspectionFactory(site=recent, inspection_date=NOW - dt.timedelta(days=29))
    stale = ClientSiteFactory(site_code="STALE")
    InspectionFactory(site=stale, inspection_date=NOW - dt.timedelta(days=31))
    ClientSiteFactory(site_code="NEVER")
    response = login(coordinator).get(URL, {"not_inspected_days": "30"})
    assert set(codes(response)) == {"STALE", "NEVER"}


def test_bad_filter_values_are_ignored_not_a_server_error(login, coordinator, site):
    response = login(coordinator).get(
        URL, {"not_inspected_days": "abc", "service_level": "gold", "ordering": "password"}
    )
    assert response.status_code == 200
    assert codes(response) == ["OWN-1"]


@time_machine.travel(NOW, tick=False)
def test_sorts_by_code_descending_and_by_last_inspection(login, coordinator, db):
    first = ClientSiteFactory(site_code="A-1", site_name="Zulu")
    second = ClientSiteFactory(site_code="B-1", site_name="Alpha")
    InspectionFactory(site=first, inspection_date=NOW - dt.timedelta(days=1))
    InspectionFactory(site=second, inspection_date=NOW - dt.timedelta(days=9))
    client = login(coordinator)
    assert codes(client.get(URL)) == ["B-1", "A-1"]  # by name by default
    assert codes(client.get(URL, {"ordering": "-code"})) == ["B-1", "A-1"]
    assert codes(client.get(URL, {"ordering": "code"})) == ["A-1", "B-1"]
    assert codes(client.get(URL, {"ordering": "-last_inspected"})) == ["A-1", "B-1"]


def test_paginates_by_25_and_keeps_filters_in_page_links(login, coordinator, db):
    ClientSiteFactory.create_batch(30, client_name="Acme")
    response = login(coordinator).get(URL, {"client": "Acme"})
    assert len(response.context["object_list"]) == 25
    assert b"client=Acme&amp;page=2" in response.content
    second = login(coordinator).get(URL, {"client": "Acme", "page": 2})
    assert len(second.context["object_list"]) == 5


def test_client_sees_summary_columns_without_internal_filters(login, client_user, site):
    StockItemFactory(site=site, quantity_on_hand=Decimal("1"), reorder_level=Decimal("5"))
    response = login(client_user).get(URL, {"low_stock": "1", "ordering": "-low_stock"})
    assert codes(response) == ["OWN-1"]
    form = response.context["filter"].form
    assert "low_stock" not in form.fields
    assert "not_inspected_days" not in form.fields
    assert b"Low stock" not in response.content
    assert b"Export CSV" not in response.content
    assert b"New site" not in response.content


def test_coordinator_gets_create_and_export_buttons(login, coordinator, site):
    content = login(coordinator).get(URL).content.decode()
    assert 'href="/sites/new/"' in content
    assert 'href="/sites/export.csv' in content


def _make_busy_sites(count):
    for n in range(count):
        busy = ClientSiteFactory(site_code=f"Q{n:03d}")
        StockItemFactory(site=busy, quantity_on_hand=Decimal("1"), reorder_level=Decimal("2"))
        InspectionFactory(site=busy)


@pytest.mark.parametrize("count", [2, 25])
def test_list_query_count_is_constant(login, coordinator, db, count, django_assert_max_num_queries):
    _make_busy_sites(count)
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"low_stock": "1", "ordering": "-last_inspected"})
    assert len(response.context["object_list"]) == count
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"not_inspected_days": "1", "q": "Q"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 25])
def test_list_query_count_is_constant_for_a_client(
    login, client_user, db, count, django_assert_max_num_queries
):
    for n in range(count):
        SiteMembershipFactory(site=ClientSiteFactory(site_code=f"C{n:03d}"), user=client_user)
    client = login(client_user)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["object_list"]) == count
