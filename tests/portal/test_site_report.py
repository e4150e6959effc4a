import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from tests.factories import InspectionFactory, SiteMembershipFactory, VisitFactory, make_user

URL = "/sites/OWN-1/report/"
ZONE = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=ZONE)


@pytest.fixture
def november(site):
    """Four November visits (2 completed, 1 missed, 1 cancelled), one in October, and two
    November inspections and one from October."""
    for day, status in [
        (3, VisitStatus.COMPLETED),
        (10, VisitStatus.COMPLETED),
        (17, VisitStatus.MISSED),
        (24, VisitStatus.CANCELLED),
    ]:
        VisitFactory(
            site=site,
            service_date=dt.date(2026, 11, day),
            status=status,
            notes="Internal: technician was late",
        )
    VisitFactory(site=site, service_date=dt.date(2026, 10, 31), status=VisitStatus.COMPLETED)
    InspectionFactory(
        site=site,
        inspection_date=dt.datetime(2026, 11, 1, 0, 30, tzinfo=ZONE),
        score=80,
        findings="Lobby glass smudged.",
        internal_notes="Inspector thinks the crew is understaffed.",
    )
    InspectionFactory(
        site=site, inspection_date=dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZONE), score=90
    )
    InspectionFactory(
        site=site,
        inspection_date=dt.datetime(2026, 10, 31, 23, 30, tzinfo=ZONE),
        score=40,
        findings="October only.",
    )
    return site


@time_machine.travel(NOW, tick=False)
def test_client_report_defaults_to_the_current_month(login, client_user, november):
    response = login(client_user).get(URL)
    assert response.status_code == 200
    context = response.context
    assert context["month"] == dt.date(2026, 11, 1)
    assert context["visit_counts"] == {"total": 4, "completed": 2, "missed": 1, "cancelled": 1}
    assert context["inspection_summary"]["count"] == 2
    assert context["inspection_summary"]["average"] == 85
    content = response.content.decode()
    assert "Lobby glass smudged." in content
    assert "October only." not in content
    assert "understaffed" not in content
    assert "technician was late" not in content
    assert "/static/portal/print.css" in content


def test_an_explicit_month_is_reported(login, client_user, november):
    response = login(client_user).get(URL, {"month": "2026-10"})
    assert response.context["visit_counts"]["completed"] == 1
    assert response.context["inspection_summary"]["count"] == 1
    assert b"October only." in response.content


@time_machine.travel(NOW, tick=False)
def test_a_bad_month_is_a_form_error_and_the_current_month_is_shown(login, client_user, november):
    response = login(client_user).get(URL, {"month": "2026-13"})
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert response.context["month"] == dt.date(2026, 11, 1)
    assert b"Enter a month as YYYY-MM" in response.content


def test_december_rolls_over_to_january(login, coordinator, site):
    VisitFactory(site=site, service_date=dt.date(2026, 12, 31), status=VisitStatus.COMPLETED)
    VisitFactory(site=site, service_date=dt.date(2027, 1, 1), status=VisitStatus.COMPLETED)
    response = login(coordinator).get(URL, {"month": "2026-12"})
    assert response.context["visit_counts"]["completed"] == 1
    assert response.context["next_month"] == dt.date(2027, 1, 1)


def test_client_without_the_grant_gets_visits_but_no_inspections(login, november):
    viewer = make_user(Role.CLIENT)
    SiteMembershipFactory(site=november, user=viewer, can_see_inspections=False)
    response = login(viewer).get(URL, {"month": "2026-11"})
    assert response.context["visit_counts"]["completed"] == 2
    assert "inspection_summary" not in response.context
    assert b"Lobby glass smudged." not in response.content
    assert b"Quality inspections" not in response.content


@pytest.mark.parametrize("role", ["coordinator", "technician", "inspector"])
def test_staff_see_the_report_with_inspections(request, login, role, november):
    response = login(request.getfixturevalue(role)).get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert response.context["inspection_summary"]["count"] == 2


def test_the_report_is_one_click_from_both_site_pages(login, coordinator, client_user, site):
    for user in (coordinator, client_user):
        assert b'href="/sites/OWN-1/report/"' in login(user).get("/sites/OWN-1/").content


@pytest.mark.parametrize("count", [1, 20])
def test_report_query_count_is_constant(
    login, client_user, site, count, django_assert_max_num_queries
):
    for n in range(count):
        VisitFactory(site=site, service_date=dt.date(2026, 11, 1 + n % 28))
        InspectionFactory(site=site, inspection_date=dt.datetime(2026, 11, 2, 9, tzinfo=ZONE))
    client = login(client_user)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"month": "2026-11"})
    assert len(response.context["visits"]) == count
