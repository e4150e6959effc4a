"""Filing and editing inspections on the two nights a year the wall clock is not a straight line.

On 2027-11-07 (New York) 01:30 happens twice: at 05:30 UTC (-04:00) and at 06:30 UTC (-05:00).
On 2027-03-14 02:30 never happens. A form saved as the page pre-filled it keeps the moment it
showed; a time that does not exist is a plain message next to the field.
"""

import datetime as dt

import pytest
from django.urls import reverse

from inspections.models import SiteInspectionLog
from janitorial_crm.wall_clock import WallClockDateTimeField
from tests.admin_forms import admin_form_data
from tests.clock import FALL_BACK, SPRING_FORWARD, at
from tests.factories import InspectionFactory
from tests.inspections.test_inspection_form import form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("inspections:inspection_create")
ADMIN_ADD = reverse("admin:inspections_siteinspectionlog_add")
FIRST_0130 = at(FALL_BACK, 1, 30)  # 05:30 UTC, daylight time
SECOND_0130 = at(FALL_BACK, 1, 30, fold=1)  # 06:30 UTC, standard time
UTC = dt.UTC


def prefilled_date(response):
    return response.context["form"]["inspection_date"].value()


@pytest.mark.parametrize("moment", [FIRST_0130, SECOND_0130], ids=["-04:00", "-05:00"])
def test_an_inspection_filed_at_0130_on_the_fall_back_night_saves_as_prefilled(
    frozen, login, inspector, site, moment
):
    frozen.move_to(moment)
    client = login(inspector)
    page = client.get(CREATE)
    assert 'value="2027-11-07T01:30"' in page.content.decode()

    response = client.post(CREATE, form_data(site, inspection_date="2027-11-07T01:30"))

    assert response.status_code == 302, response.context["form"].errors
    log = SiteInspectionLog.objects.get()
    assert log.inspection_date.astimezone(UTC) == moment.astimezone(UTC)


@pytest.mark.parametrize("moment", [FIRST_0130, SECOND_0130], ids=["-04:00", "-05:00"])
def test_editing_an_inspection_stamped_in_the_repeated_hour_keeps_its_moment(
    frozen, login, inspector, site, moment
):
    frozen.move_to(at(FALL_BACK, 9))
    log = InspectionFactory(site=site, inspector=inspector, inspection_date=moment, score=70)
    url = reverse("inspections:inspection_update", args=[log.pk])
    client = login(inspector)
    assert 'value="2027-11-07T01:30"' in client.get(url).content.decode()

    response = client.post(url, form_data(site, inspection_date="2027-11-07T01:30", score="90"))

    assert response.status_code == 302, response.context["form"].errors
    log.refresh_from_db()
    assert (log.score, log.inspection_date.astimezone(UTC)) == (90, moment.astimezone(UTC))


def test_a_repeated_time_typed_later_that_morning_is_the_occurrence_nearest_to_now(
    frozen, login, inspector, site
):
    frozen.move_to(at(FALL_BACK, 9))
    response = login(inspector).post(CREATE, form_data(site, inspection_date="2027-11-07T01:15"))

    assert response.status_code == 302
    stamped = SiteInspectionLog.objects.get().inspection_date
    assert stamped.astimezone(UTC) == at(FALL_BACK, 1, 15, fold=1).astimezone(UTC)


def test_a_repeated_time_with_nothing_to_go_by_is_its_first_occurrence():
    assert WallClockDateTimeField().clean("2027-11-07T01:15") == at(FALL_BACK, 1, 15)


def test_a_time_the_clock_skips_is_explained_next_to_the_field(frozen, login, inspector, site):
    frozen.move_to(at(SPRING_FORWARD, 9))
    response = login(inspector).post(CREATE, form_data(site, inspection_date="2027-03-14T02:30"))

    assert response.status_code == 200
    [error] = response.context["form"].errors["inspection_date"]
    assert error == (
        "02:30 does not exist on Sun 14 Mar 2027: the clocks jump forward an hour that night. "
        "Enter a time an hour later (or earlier)."
    )
    assert "time zone" not in response.content.decode()
    assert not SiteInspectionLog.objects.exists()


def test_editing_into_a_time_the_clock_skips_changes_nothing(frozen, login, inspector, site):
    frozen.move_to(at(SPRING_FORWARD, 9))
    log = InspectionFactory(site=site, inspector=inspector, inspection_date=at(SPRING_FORWARD, 1))
    url = reverse("inspections:inspection_update", args=[log.pk])

    response = login(inspector).post(url, form_data(site, inspection_date="2027-03-14T02:30"))

    assert "does not exist" in response.context["form"].errors["inspection_date"][0]
    log.refresh_from_db()
    assert log.inspection_date == at(SPRING_FORWARD, 1)


@pytest.mark.parametrize("typed", ["٣", "next week", "2026-02-30 10:00"])
def test_an_inspection_date_that_is_no_date_is_explained_next_to_the_field(
    login, inspector, site, typed
):
    response = login(inspector).post(CREATE, form_data(site, inspection_date=typed))

    assert response.status_code == 200
    assert response.context["form"].errors["inspection_date"] == ["Enter a valid date/time."]
    assert not SiteInspectionLog.objects.exists()


# -- admin --------------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", [FIRST_0130, SECOND_0130], ids=["-04:00", "-05:00"])
def test_admin_adds_an_inspection_at_0130_on_the_fall_back_night_as_prefilled(
    frozen, login, supervisor, inspector, site, moment
):
    frozen.move_to(moment)
    client = login(supervisor)
    page = client.get(ADMIN_ADD)
    data = admin_form_data(
        page, site=site.pk, inspector=inspector.pk, score="80", findings="Lobby fine."
    )
    assert (data["inspection_date_0"], data["inspection_date_1"]) == ("2027-11-07", "01:30:00")

    response = client.post(ADMIN_ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    stamped = SiteInspectionLog.objects.get().inspection_date
    assert stamped.astimezone(UTC) == moment.astimezone(UTC)


@pytest.mark.parametrize("moment", [FIRST_0130, SECOND_0130], ids=["-04:00", "-05:00"])
def test_admin_change_of_an_inspection_in_the_repeated_hour_keeps_its_moment(
    frozen, login, supervisor, site, moment
):
    frozen.move_to(at(FALL_BACK, 9))
    log = InspectionFactory(site=site, inspection_date=moment, score=70)
    url = reverse("admin:inspections_siteinspectionlog_change", args=[log.pk])
    client = login(supervisor)

    response = client.post(url, admin_form_data(client.get(url), score="95"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    log.refresh_from_db()
    assert (log.score, log.inspection_date.astimezone(UTC)) == (95, moment.astimezone(UTC))


def test_admin_explains_a_time_the_clock_skips(frozen, login, supervisor, site):
    frozen.move_to(at(SPRING_FORWARD, 9))
    log = InspectionFactory(site=site, inspection_date=at(SPRING_FORWARD, 1), score=70)
    url = reverse("admin:inspections_siteinspectionlog_change", args=[log.pk])
    client = login(supervisor)
    data = admin_form_data(client.get(url), inspection_date_1="02:30:00")

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["inspection_date"]
    assert "02:30 does not exist on Sun 14 Mar 2027" in errors[0]
    log.refresh_from_db()
    assert log.inspection_date == at(SPRING_FORWARD, 1)


# -- "N days ago" is counted in calendar days on the company's clock ----------------------------


def test_an_action_becomes_overdue_on_the_wall_clock_hour_after_the_autumn_change(
    frozen, login, coordinator, site, settings
):
    settings.CORRECTIVE_ACTION_OVERDUE_DAYS = 7
    filed = InspectionFactory(
        site=site, inspection_date=at(FALL_BACK - dt.timedelta(days=6), 9), corrective_actions="Mop"
    )
    overdue_list = reverse("inspections:inspection_list") + "?overdue=1"

    def overdue_at(moment):
        frozen.move_to(moment)  # sessions last 12 hours: log in at each moment
        return filed in login(coordinator).get(overdue_list).context["object_list"]

    # Seven calendar days later at 08:30: 169 hours have passed (one day had 25), but it is not
    # yet the wall-clock time it was filed.
    assert not overdue_at(at(FALL_BACK + dt.timedelta(days=1), 8, 30))
    assert overdue_at(at(FALL_BACK + dt.timedelta(days=1), 9, 30))
