import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)

ZONE = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=ZONE)
TODAY = NOW.date()

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def busy_day(site, other_site, technician):
    for status in (VisitStatus.SCHEDULED, VisitStatus.SCHEDULED, VisitStatus.COMPLETED):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY, status=status)
    VisitFactory(site=other_site, service_date=TODAY, status=VisitStatus.IN_PROGRESS)
    VisitFactory(site=site, service_date=TODAY - dt.timedelta(days=3), status=VisitStatus.MISSED)
    VisitFactory(site=site, service_date=TODAY - dt.timedelta(days=9), status=VisitStatus.MISSED)
    StockItemFactory(site=site, quantity_on_hand=Decimal("0"), reorder_level=Decimal("4"))
    StockItemFactory(site=other_site, quantity_on_hand=Decimal("4"), reorder_level=Decimal("4"))
    StockItemFactory(site=other_site, quantity_on_hand=Decimal("9"), reorder_level=Decimal("4"))
    fresh = ClientSiteFactory(site_code="FRESH", site_name="Fresh Hall")
    ClientSiteFactory(site_code="CLOSED", site_name="Closed Depot", active=False)
    InspectionFactory(site=fresh, inspection_date=NOW - dt.timedelta(days=2), score=65)
    InspectionFactory(
        site=other_site,
        inspection_date=NOW - dt.timedelta(days=40),
        score=50,
        corrective_actions="Deep-clean the grout.",
    )
    InspectionFactory(
        site=fresh,
        inspection_date=NOW - dt.timedelta(days=1),
        score=95,
        corrective_actions="Replace a mat.",
    )
    return site


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "admin_user"])
def test_operations_dashboard_figures(request, login, role, busy_day):
    response = login(request.getfixturevalue(role)).get("/")
    assert response.status_code == 200
    context = response.context
    by_status = {entry["status"]: entry["count"] for entry in context["today_by_status"]}
    assert by_status == {
        "scheduled": 2,
        "in_progress": 1,
        "completed": 1,
        "missed": 0,
        "cancelled": 0,
    }
    assert context["visits_today"] == 4
    assert context["missed_count"] == 1  # the one 9 days ago is outside the window
    assert context["low_stock_items"] == 2
    assert context["stale_count"] == 2  # Own Tower (never) and Other Plaza (40 days)
    assert [s.site_code for s in context["stale_sites"]] == ["OWN-1", "OTHER-1"]
    assert [i.score for i in context["low_scores"]] == [65, 50]
    assert context["overdue_actions"] == 1


def test_every_operations_figure_links_to_its_filtered_list(login, coordinator, busy_day):
    content = login(coordinator).get("/").content.decode()
    for link in (
        "/visits/?date_from=2026-11-24&amp;date_to=2026-11-24&amp;status=scheduled",
        "/visits/?date_from=2026-11-24&amp;date_to=2026-11-24",
        "/visits/?status=missed&amp;date_from=2026-11-18&amp;date_to=2026-11-24",
        "/stock/?low=1",
        "/sites/?active=1&amp;not_inspected_days=30",
        "/inspections/?score_below=70",
        "/inspections/?overdue=1",
        "/sites/OWN-1/",
    ):
        assert f'href="{link}"' in content, link


def test_the_stale_sites_link_lists_the_same_sites(login, coordinator, busy_day):
    client = login(coordinator)
    figure = client.get("/").context["stale_count"]
    listed = client.get("/sites/", {"active": "1", "not_inspected_days": "30"})
    assert listed.context["paginator"].count == figure


def test_stale_days_follow_the_setting(login, coordinator, busy_day, settings):
    settings.INSPECTION_STALE_DAYS = 60
    context = login(coordinator).get("/").context
    assert context["stale_count"] == 1  # Other Plaza's 40-day-old inspection is recent enough
    assert context["stale_url"].endswith("not_inspected_days=60")


def _grow(count):
    for n in range(count):
        busy = ClientSiteFactory(site_code=f"G{n:03d}")
        VisitFactory(site=busy, service_date=TODAY)
        VisitFactory(site=busy, service_date=TODAY, status=VisitStatus.MISSED)
        StockItemFactory(site=busy, quantity_on_hand=Decimal("0"))
        InspectionFactory(
            site=busy,
            score=40,
            corrective_actions="Fix",
            inspection_date=NOW - dt.timedelta(days=40),
        )


@pytest.mark.parametrize("count", [1, 20])
def test_operations_dashboard_query_count_is_constant(
    login, coordinator, site, count, django_assert_max_num_queries
):
    _grow(count)
    client = login(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.context["stale_count"] == count + 1


def test_technician_sees_todays_visits_and_a_big_link_to_my_day(
    login, technician, site, other_site
):
    VisitFactory(
        site=site,
        assigned_to=technician,
        service_date=TODAY,
        start_time=dt.time(21, 0),
        end_time=dt.time(1, 0),
    )
    VisitFactory(
        site=site,
        assigned_to=technician,
        service_date=TODAY - dt.timedelta(days=1),
        start_time=dt.time(22, 0),
        end_time=dt.time(2, 0),
        status=VisitStatus.IN_PROGRESS,
    )
    VisitFactory(site=site, assigned_to=technician, service_date=TODAY + dt.timedelta(days=1))
    VisitFactory(site=other_site, service_date=TODAY)  # a colleague's
    response = login(technician).get("/")
    assert response.status_code == 200
    visits = response.context["visits"]
    assert [(v.service_date, v.start_time) for v in visits] == [
        (TODAY - dt.timedelta(days=1), dt.time(22, 0)),
        (TODAY, dt.time(21, 0)),
    ]
    content = response.content.decode()
    assert f'href="{reverse("scheduling:my_day")}"' in content
    assert 'class="field"' in content
    assert "Other Plaza" not in content


@pytest.mark.parametrize("count", [1, 15])
def test_technician_dashboard_query_count_is_constant(
    login, technician, site, count, django_assert_max_num_queries
):
    for n in range(count):
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        SiteMembershipFactory(site=ClientSiteFactory(site_code=f"T{n:03d}"), user=technician)
    client = login(technician)
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert len(response.context["visits"]) == count


def _inspection_create_prefix():
    try:
        return reverse("inspections:inspection_create")
    except NoReverseMatch:
        return reverse("inspections:inspection_list")


def test_inspector_sees_assigned_sites_with_last_inspection_and_a_new_inspection_link(
    login, inspector, site, other_site
):
    second = ClientSiteFactory(site_code="SECOND", site_name="Second Site")
    SiteMembershipFactory(site=second, user=inspector)
    InspectionFactory(site=second, inspection_date=NOW - dt.timedelta(days=3))
    InspectionFactory(site=second, inspection_date=NOW - dt.timedelta(days=12))
    InspectionFactory(site=other_site, inspection_date=NOW)
    response = login(inspector).get("/")
    sites = response.context["sites"]
    assert [s.site_code for s in sites] == ["OWN-1", "SECOND"]  # never inspected first
    assert sites[0].last_inspected_at is None
    assert sites[1].last_inspected_at == NOW - dt.timedelta(days=3)
    content = response.content.decode()
    prefix = _inspection_create_prefix()
    assert f'href="{prefix}?site={site.pk}"' in content
    assert "Other Plaza" not in content


@pytest.mark.parametrize("count", [1, 15])
def test_inspector_dashboard_query_count_is_constant(
    login, inspector, count, django_assert_max_num_queries
):
    for n in range(count):
        assigned = ClientSiteFactory(site_code=f"I{n:03d}")
        SiteMembershipFactory(site=assigned, user=inspector)
        InspectionFactory(site=assigned)
    client = login(inspector)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert len(response.context["sites"]) == count


def test_client_sees_their_sites_with_page_and_report_links(login, client_user, site, other_site):
    response = login(client_user).get("/")
    assert [s.site_code for s in response.context["sites"]] == ["OWN-1"]
    content = response.content.decode()
    assert 'href="/sites/OWN-1/"' in content
    assert 'href="/sites/OWN-1/report/"' in content
    assert "Other Plaza" not in content


@pytest.mark.parametrize("count", [1, 15])
def test_client_dashboard_query_count_is_constant(login, count, db, django_assert_max_num_queries):
    manager = make_user(Role.CLIENT)
    for n in range(count):
        SiteMembershipFactory(site=ClientSiteFactory(site_code=f"K{n:03d}"), user=manager)
    client = login(manager)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert len(response.context["sites"]) == count


def test_waiting_user_is_sent_to_the_waiting_page(login, waiting_user):
    assert login(waiting_user).get("/")["Location"] == "/accounts/waiting/"
