import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from janitorial_crm.roles import Role
from scheduling import services
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from tests.factories import VisitFactory, VisitSeriesFactory, make_user
from tests.scheduling.helpers import TODAY, t

pytestmark = pytest.mark.django_db


def change_data(visit, **overrides):
    data = {
        "site": visit.site_id,
        "assigned_to": visit.assigned_to_id or "",
        "service_date": str(visit.service_date),
        "start_time": visit.start_time.strftime("%H:%M"),
        "end_time": visit.end_time.strftime("%H:%M"),
        "notes": visit.notes,
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_refuses_a_double_booking_with_the_clash_named(login, supervisor, technician, site):
    VisitFactory(site=site, assigned_to=technician, service_date=TODAY, start_time=t("06:00"))
    visit = VisitFactory(site=site, assigned_to=None, service_date=TODAY)
    response = login(supervisor).post(
        reverse("admin:scheduling_cleaningschedule_change", args=[visit.pk]),
        change_data(visit, assigned_to=technician.pk),
    )
    assert response.status_code == 200
    assert "overlapping visit" in response.content.decode()
    visit.refresh_from_db()
    assert visit.assigned_to is None


def test_admin_cannot_change_the_status(login, supervisor, technician, site):
    visit = VisitFactory(site=site, assigned_to=technician)
    response = login(supervisor).post(
        reverse("admin:scheduling_cleaningschedule_change", args=[visit.pk]),
        change_data(visit, status=VisitStatus.COMPLETED, notes="fixed"),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.notes) == (VisitStatus.SCHEDULED, "fixed")


def test_admin_add_records_who_planned_it(login, supervisor, technician, site):
    data = change_data(
        CleaningSchedule(
            site=site,
            assigned_to=technician,
            service_date=TODAY,
            start_time=t("22:00"),
            end_time=t("02:00"),
        )
    )
    response = login(supervisor).post(reverse("admin:scheduling_cleaningschedule_add"), data)
    assert response.status_code == 302
    assert CleaningSchedule.objects.get().created_by == supervisor


def series_data(site, technician, **overrides):
    data = {
        "site": site.pk,
        "assigned_to": technician.pk,
        "frequency": "weekly",
        "first_date": str(TODAY),
        "until": "",
        "start_time": "22:00",
        "end_time": "02:00",
        "skip_dates": str(TODAY + dt.timedelta(weeks=1)),
        "notes": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_a_series_added_in_admin_is_planned_like_in_the_portal(
    frozen, login, supervisor, technician, site
):
    response = login(supervisor).post(
        reverse("admin:scheduling_visitseries_add"), series_data(site, technician)
    )
    assert response.status_code == 302
    series = VisitSeries.objects.get()
    assert series.created_by == supervisor
    assert series.skip_dates == [str(TODAY + dt.timedelta(weeks=1))]
    assert series.visits.count() == 8  # nine weeks to the horizon, one skipped
    assert series.materialised_until == TODAY + dt.timedelta(weeks=8)


def test_a_clashing_series_is_refused_in_admin(frozen, login, supervisor, technician, site):
    VisitFactory(
        assigned_to=technician,
        service_date=TODAY + dt.timedelta(weeks=2),
        start_time=t("23:00"),
        end_time=t("23:30"),
    )
    response = login(supervisor).post(
        reverse("admin:scheduling_visitseries_add"), series_data(site, technician, skip_dates="")
    )
    assert response.status_code == 200
    assert "overlapping visit" in response.content.decode()
    assert not VisitSeries.objects.exists()


def test_a_series_rule_is_read_only_once_planned(login, supervisor, site):
    series = VisitSeriesFactory(site=site)
    page = login(supervisor).get(reverse("admin:scheduling_visitseries_change", args=[series.pk]))
    assert page.status_code == 200
    assert 'name="frequency"' not in page.content.decode()
    assert 'name="active"' in page.content.decode()


def test_admin_refuses_moving_a_series_visit_onto_a_sibling_date(
    frozen, login, supervisor, technician, coordinator, site
):
    series = services.series_create(
        site=site,
        assigned_to=technician,
        frequency=Frequency.WEEKLY,
        first_date=TODAY,
        start_time=t("18:00"),
        end_time=t("22:00"),
        by=coordinator,
    )
    first, second = series.visits.order_by("service_date")[:2]
    response = login(supervisor).post(
        reverse("admin:scheduling_cleaningschedule_change", args=[first.pk]),
        change_data(first, service_date=str(second.service_date), start_time="06:00"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["service_date"] == ["This series already has a visit on that date."]
    first.refresh_from_db()
    assert (first.service_date, first.start_time) == (TODAY, t("18:00"))


def test_admin_refuses_a_visit_date_out_of_range(login, supervisor, technician, site):
    visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
    response = login(supervisor).post(
        reverse("admin:scheduling_cleaningschedule_change", args=[visit.pk]),
        change_data(visit, service_date="9999-12-31"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["service_date"] == ["Enter a date between 2000-01-01 and 2100-12-31."]
    visit.refresh_from_db()
    assert visit.service_date == TODAY


def test_admin_refuses_a_series_starting_in_the_past(frozen, login, supervisor, technician, site):
    response = login(supervisor).post(
        reverse("admin:scheduling_visitseries_add"),
        series_data(site, technician, first_date="1990-01-01", frequency="daily", skip_dates=""),
    )
    assert response.status_code == 200
    assert "first_date" in response.context["adminform"].form.errors
    assert not VisitSeries.objects.exists()
    assert not CleaningSchedule.objects.exists()


def test_the_site_admin_page_costs_the_same_however_many_upcoming_visits(
    frozen, client, superuser, technician, site
):
    client.force_login(superuser)
    url = reverse("admin:sites_clientsite_change", args=[site.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
    count()  # warms the per-process caches (content types, permissions)
    few = count()
    for n in range(1, 11):
        VisitFactory(
            site=site,
            assigned_to=make_user(Role.TECHNICIAN),
            service_date=TODAY + dt.timedelta(days=n),
        )
    assert count() == few
