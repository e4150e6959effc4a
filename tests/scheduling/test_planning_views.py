import datetime as dt

import pytest
from django.urls import reverse

from janitorial_crm.roles import Role
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import TODAY, plan, t

pytestmark = pytest.mark.django_db

CREATE = reverse("scheduling:visit_create")


class TestPlanningForm:
    def test_the_form_renders_with_prefilled_values_from_the_board(
        self, login, coordinator, site, technician
    ):
        url = f"{CREATE}?site={site.pk}&assigned_to={technician.pk}&date=2026-12-03"
        html = login(coordinator).get(url).content.decode()
        assert 'value="2026-12-03"' in html
        # The pickers carry the chosen row (tests/janitorial_crm/test_pickers.py).
        assert f'name="site" value="{site.site_code}"' in html
        assert f'data-picker-value="{site.pk}"' in html
        assert f'name="assigned_to" value="{technician.username}"' in html
        assert f'data-picker-value="{technician.pk}"' in html

    def test_a_one_off_visit_is_planned(self, frozen, login, coordinator, site, technician):
        response = login(coordinator).post(CREATE, plan(site, technician, notes="Key at desk"))
        visit = CleaningSchedule.objects.get()
        assert response["Location"] == visit.get_absolute_url()
        assert (visit.site, visit.assigned_to, visit.service_date) == (site, technician, TODAY)
        assert (visit.start_time, visit.end_time, visit.notes) == (
            t("18:00"),
            t("22:00"),
            "Key at desk",
        )
        assert visit.series is None
        assert visit.created_by == coordinator

    def test_a_weekly_series_is_planned_and_shown_on_the_board(
        self, frozen, login, coordinator, site, technician
    ):
        client = login(coordinator)
        data = plan(
            site,
            technician,
            frequency=Frequency.WEEKLY,
            until=str(TODAY + dt.timedelta(weeks=3)),
            skip_dates=str(TODAY + dt.timedelta(weeks=1)),
        )
        response = client.post(CREATE, data)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('scheduling:board')}?week={TODAY}"
        series = VisitSeries.objects.get()
        assert series.created_by == coordinator
        assert series.visits.count() == 3
        board = client.get(response["Location"]).content.decode()
        assert site.site_code in board
        assert "Series planned: 3 visits" in board

    def test_an_overnight_visit_is_accepted(self, frozen, login, coordinator, site, technician):
        login(coordinator).post(
            CREATE, plan(site, technician, start_time="22:00", end_time="02:00")
        )
        assert CleaningSchedule.objects.get().is_overnight

    def test_a_zero_length_visit_gets_an_error_next_to_the_end_time(
        self, login, coordinator, site, technician
    ):
        response = login(coordinator).post(
            CREATE, plan(site, technician, start_time="18:00", end_time="18:00")
        )
        assert response.status_code == 200
        assert "cannot end at the time it starts" in str(
            response.context["form"].errors["end_time"]
        )
        assert not CleaningSchedule.objects.exists()

    def test_a_double_booking_is_refused_naming_the_clash(
        self, frozen, login, coordinator, site, technician
    ):
        VisitFactory(
            site=ClientSiteFactory(site_code="BUSY-1"),
            assigned_to=technician,
            service_date=TODAY,
            start_time=t("21:00"),
            end_time=t("01:00"),
        )
        response = login(coordinator).post(CREATE, plan(site, technician))
        assert response.status_code == 200
        errors = response.context["form"].errors["assigned_to"]
        assert "BUSY-1" in errors[0]
        assert "21:00–01:00" in errors[0]
        assert CleaningSchedule.objects.count() == 1

    def test_bad_input_is_a_form_error_not_a_500(self, login, coordinator, site, technician):
        data = plan(
            site,
            technician,
            first_date="not a date",
            frequency="hourly",
            skip_dates="2026-13-45",
            until="2020-01-01",
        )
        response = login(coordinator).post(CREATE, data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert {"first_date", "frequency", "skip_dates"} <= set(errors)

    def test_an_end_date_before_the_first_date_is_refused(
        self, login, coordinator, site, technician
    ):
        data = plan(site, technician, frequency=Frequency.DAILY, until=str(TODAY - dt.timedelta(1)))
        response = login(coordinator).post(CREATE, data)
        assert "until" in response.context["form"].errors

    def test_only_active_technicians_can_be_picked(self, login, coordinator, site, inspector):
        retired = make_user(Role.TECHNICIAN, is_active=False)
        client = login(coordinator)
        for person in (retired, inspector):
            response = client.post(CREATE, plan(site, person))
            assert "assigned_to" in response.context["form"].errors
        assert not CleaningSchedule.objects.exists()

    def test_an_inactive_site_cannot_be_picked(self, login, coordinator, technician):
        closed = ClientSiteFactory(active=False)
        response = login(coordinator).post(CREATE, plan(closed, technician))
        assert "site" in response.context["form"].errors

    def test_an_unassigned_visit_can_be_planned(self, frozen, login, coordinator, site):
        login(coordinator).post(CREATE, plan(site, None))
        assert CleaningSchedule.objects.get().assigned_to is None


class TestEditing:
    @pytest.fixture
    def series_visits(self, frozen, login, coordinator, site, technician):
        login(coordinator).post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
        return list(CleaningSchedule.objects.order_by("service_date"))

    def test_edit_this_visit(self, login, coordinator, technician, series_visits):
        visit = series_visits[1]
        other = make_user(Role.TECHNICIAN)
        url = reverse("scheduling:visit_update", args=[visit.pk])
        data = {
            "assigned_to": other.pk,
            "service_date": str(visit.service_date),
            "start_time": "19:00",
            "end_time": "23:00",
            "notes": "Swap this week",
        }
        response = login(coordinator).post(url, data)
        assert response["Location"] == visit.get_absolute_url()
        visit.refresh_from_db()
        assert (visit.assigned_to, visit.start_time, visit.notes) == (
            other,
            t("19:00"),
            "Swap this week",
        )
        assert series_visits[2].assigned_to == technician

    def test_edit_this_visit_into_a_clash_shows_the_error(
        self, login, coordinator, technician, series_visits
    ):
        VisitFactory(assigned_to=technician, service_date=TODAY + dt.timedelta(days=1))
        visit = series_visits[0]
        url = reverse("scheduling:visit_update", args=[visit.pk])
        data = {
            "assigned_to": technician.pk,
            "service_date": str(TODAY + dt.timedelta(days=1)),
            "start_time": "18:00",
            "end_time": "22:00",
            "notes": "",
        }
        response = login(coordinator).post(url, data)
        assert response.status_code == 200
        assert "overlapping" in str(response.context["form"].errors["assigned_to"])
        visit.refresh_from_db()
        assert visit.service_date == TODAY

    def test_edit_this_and_following_through_the_form(
        self, login, coordinator, technician, series_visits
    ):
        visit = series_visits[2]
        client = login(coordinator)
        url = reverse("scheduling:visit_update_following", args=[visit.pk])
        form_html = client.get(url).content.decode()
        assert 'value="18:00"' in form_html
        data = {
            "assigned_to": technician.pk,
            "first_date": str(visit.service_date),
            "start_time": "05:00",
            "end_time": "07:00",
            "frequency": Frequency.WEEKLY,
            "until": "",
            "skip_dates": "",
            "notes": "Early shift",
        }
        response = client.post(url, data)
        assert response.status_code == 302
        times = list(
            CleaningSchedule.objects.order_by("service_date").values_list("start_time", flat=True)
        )
        assert times[:2] == [t("18:00")] * 2
        assert set(times[2:]) == {t("05:00")}
        assert len(times) == len(series_visits)

    def test_this_and_following_is_only_for_a_scheduled_series_visit(
        self, login, coordinator, technician, series_visits
    ):
        one_off = VisitFactory(service_date=TODAY + dt.timedelta(days=2))
        client = login(coordinator)
        url = reverse("scheduling:visit_update_following", args=[one_off.pk])
        assert client.get(url).status_code == 404

    def test_cancel_this_and_following_through_the_page(self, login, coordinator, series_visits):
        visit = series_visits[3]
        response = login(coordinator).post(
            reverse("scheduling:visit_cancel", args=[visit.pk]), {"scope": "following"}
        )
        assert response.status_code == 302
        statuses = list(
            CleaningSchedule.objects.order_by("service_date").values_list("status", flat=True)
        )
        assert statuses[:3] == [VisitStatus.SCHEDULED] * 3
        assert set(statuses[3:]) == {VisitStatus.CANCELLED}

    def test_the_detail_page_offers_a_planner_the_series_actions(
        self, login, coordinator, series_visits
    ):
        visit = series_visits[0]
        html = login(coordinator).get(visit.get_absolute_url()).content.decode()
        assert reverse("scheduling:visit_update_following", args=[visit.pk]) in html
        assert 'name="scope" value="following"' in html
        assert "Mark missed" in html

    def test_the_detail_page_offers_a_technician_only_field_actions(
        self, login, technician, series_visits
    ):
        visit = series_visits[0]
        html = login(technician).get(visit.get_absolute_url()).content.decode()
        assert reverse("scheduling:visit_start", args=[visit.pk]) in html
        assert reverse("scheduling:visit_update", args=[visit.pk]) not in html
        assert "Mark missed" not in html
        assert 'class="field"' in html


def test_moving_a_series_visit_onto_a_taken_series_date_is_explained(
    frozen, login, coordinator, site, technician
):
    client = login(coordinator)
    client.post(CREATE, plan(site, technician, frequency=Frequency.WEEKLY))
    first, second = CleaningSchedule.objects.order_by("service_date")[:2]
    data = {
        "assigned_to": technician.pk,
        "service_date": str(second.service_date),
        "start_time": "06:00",
        "end_time": "07:00",
        "notes": "",
    }
    response = client.post(reverse("scheduling:visit_update", args=[first.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["service_date"] == ["This series already has a visit on that date."]
    first.refresh_from_db()
    assert first.service_date == TODAY
