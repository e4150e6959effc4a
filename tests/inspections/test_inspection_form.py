"""The phone inspection form: who may file and edit, scoped dropdowns, score bounds, the visit
must be at the site, and crafted POSTs that try to set what the server owns."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import SiteInspectionLog
from tests.factories import (
    InspectionFactory,
    SiteMembershipFactory,
    VisitFactory,
    make_user,
    uploaded_image,
)

pytestmark = pytest.mark.django_db

CREATE = "inspections:inspection_create"


def form_data(site, **fields):
    data = {
        "site": site.pk,
        "schedule": "",
        "inspection_date": "2026-11-24T20:30",
        "score": "77",
        "findings": "Restroom 2F: mirror streaks.",
        "corrective_actions": "",
        "internal_notes": "",
    }
    data.update(fields)
    return data


def rendered_inputs(html):
    return {
        m.group(1): m.group(0) for m in re.finditer(r'<(?:input|select)[^>]*name="(\w+)"', html)
    }


# -- the page ---------------------------------------------------------------------------------


def test_form_is_a_phone_page_with_camera_capture_and_a_large_score_input(login, inspector, site):
    response = login(inspector).get(reverse(CREATE))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<body class="field"' in html
    photo_input = re.search(r'<input type="file" name="photos"[^>]*>', html).group(0)
    assert 'accept="image/*"' in photo_input
    assert 'capture="environment"' in photo_input
    assert " multiple" in photo_input
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="number" name="score" class="score-input', html)
    assert 'min="0"' in html and 'max="100"' in html
    # What the server owns is not a field at all.
    assert {"inspector", "resolved_at", "resolved_by", "resolution_note"}.isdisjoint(
        rendered_inputs(html)
    )
    assert " style=" not in html


def test_date_defaults_to_now_in_the_company_time_zone(login, inspector, site):
    response = login(inspector).get(reverse(CREATE))

    assert 'value="2026-11-24T21:00"' in response.content.decode()


def test_site_dropdown_offers_only_the_users_assigned_sites(login, inspector, site, other_site):
    form = login(inspector).get(reverse(CREATE)).context["form"]

    assert list(form.fields["site"].queryset) == [site]


def test_visit_dropdown_offers_recent_visits_the_user_may_see(
    login, inspector, site, other_site, visit
):
    old = VisitFactory(site=site, service_date=dt.date(2026, 10, 1))
    elsewhere = VisitFactory(site=other_site)

    choices = login(inspector).get(reverse(CREATE)).context["form"].fields["schedule"].queryset

    assert visit in choices
    assert old not in choices and elsewhere not in choices


def test_site_in_the_query_string_preselects_it_and_narrows_the_visits(
    login, inspector, site, visit
):
    second = make_user("Inspector")
    SiteMembershipFactory(site=site, user=second)
    another = SiteMembershipFactory(user=inspector).site
    VisitFactory(site=another)

    form = login(inspector).get(reverse(CREATE), {"site": site.pk}).context["form"]

    assert form.initial["site"] == site.pk
    assert list(form.fields["schedule"].queryset) == [visit]


# -- filing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Inspector", "Technician"])
def test_field_staff_file_an_inspection_at_their_site_and_are_its_inspector(
    login, site, media_files, role
):
    user = make_user(role)
    SiteMembershipFactory(site=site, user=user)
    # Technicians see (and so may pick) only their own visits.
    visit = VisitFactory(site=site, assigned_to=user if role == "Technician" else None)
    data = form_data(site, schedule=visit.pk, corrective_actions="Reline bins.")
    data["photos"] = [uploaded_image("a.jpg"), uploaded_image("b.png", fmt="PNG")]

    response = login(user).post(reverse(CREATE), data)

    log = SiteInspectionLog.objects.get()
    assert response.status_code == 302
    assert (log.site, log.schedule, log.inspector, log.score) == (site, visit, user, 77)
    assert log.inspection_date == timezone.make_aware(dt.datetime(2026, 11, 24, 20, 30))
    assert log.has_open_actions
    # The detail page it lands on shows the thumbnails, through the permission-checked view.
    detail = login(user).get(response["Location"]).content.decode()
    for photo in log.photos.all():
        assert reverse("inspections:photo", args=[photo.pk, "thumb"]) in detail
    assert "/media/" not in detail


def test_technician_may_file_at_a_site_where_they_hold_a_visit(login, other_site, media_files):
    technician = make_user("Technician")
    VisitFactory(site=other_site, assigned_to=technician)

    response = login(technician).post(reverse(CREATE), form_data(other_site))

    assert response.status_code == 302
    assert SiteInspectionLog.objects.get().site == other_site


def test_site_outside_the_users_scope_is_refused(login, inspector, site, other_site):
    response = login(inspector).post(reverse(CREATE), form_data(other_site))

    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert not SiteInspectionLog.objects.exists()


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("-1", "greater than or equal to 0"),
        ("101", "less than or equal to 100"),
        ("abc", "Enter a whole number"),
        ("", "This field is required"),
        ("55.5", "Enter a whole number"),
    ],
)
def test_score_outside_0_to_100_is_refused(login, inspector, site, score, message):
    response = login(inspector).post(reverse(CREATE), form_data(site, score=score))

    assert response.status_code == 200
    assert message in response.context["form"].errors["score"][0]
    assert message in response.content.decode()
    assert not SiteInspectionLog.objects.exists()


@pytest.mark.parametrize("score", [0, 100])
def test_score_bounds_themselves_are_accepted(login, inspector, site, score):
    login(inspector).post(reverse(CREATE), form_data(site, score=str(score)))

    assert SiteInspectionLog.objects.get().score == score


def test_visit_at_another_site_is_refused_with_a_clear_message(login, inspector, site):
    second_site = SiteMembershipFactory(user=inspector).site
    visit_elsewhere = VisitFactory(site=second_site)

    response = login(inspector).post(reverse(CREATE), form_data(site, schedule=visit_elsewhere.pk))

    errors = response.context["form"].errors["schedule"]
    assert errors == [
        f"That visit was at {second_site.site_code}, not at {site.site_code}. "
        "Pick one at this site."
    ]
    assert not SiteInspectionLog.objects.exists()


def test_visit_the_user_may_not_see_is_refused(login, inspector, site, other_site):
    hidden = VisitFactory(site=other_site)

    response = login(inspector).post(reverse(CREATE), form_data(site, schedule=hidden.pk))

    assert "schedule" in response.context["form"].errors
    assert not SiteInspectionLog.objects.exists()


def test_inspection_in_the_future_is_refused(login, inspector, site):
    response = login(inspector).post(
        reverse(CREATE), form_data(site, inspection_date="2026-11-25T09:00")
    )

    assert "future" in response.context["form"].errors["inspection_date"][0]


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "1999-12-31T23:59"])
def test_inspection_before_the_business_date_range_is_refused(login, inspector, site, value):
    response = login(inspector).post(reverse(CREATE), form_data(site, inspection_date=value))

    assert response.status_code == 200
    assert response.context["form"].errors["inspection_date"] == [
        "Enter a date between 2000-01-01 and 2100-12-31."
    ]
    assert 'id="error_1_id_inspection_date"' in response.content.decode()
    assert not SiteInspectionLog.objects.exists()


def test_editing_an_inspection_to_year_one_is_refused(login, inspector, site):
    log = InspectionFactory(site=site, score=60)
    before = log.inspection_date

    response = login(inspector).post(
        edit_url(log), form_data(site, inspection_date="0001-01-01T00:00")
    )

    assert response.status_code == 200
    assert "inspection_date" in response.context["form"].errors
    log.refresh_from_db()
    assert log.inspection_date == before


def test_the_admin_refuses_an_inspection_date_out_of_range(login, supervisor, site):
    log = InspectionFactory(site=site, score=60)
    before = log.inspection_date
    url = reverse("admin:inspections_siteinspectionlog_change", args=[log.pk])
    form = login(supervisor).get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {
            **{name: form[name].value() for name in form.fields},
            "inspection_date_0": "0001-01-01",
            "inspection_date_1": "00:00",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        }.items()
        if value is not None and name != "inspection_date"
    }

    response = login(supervisor).post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["inspection_date"] == [
        "Enter a date between 2000-01-01 and 2100-12-31."
    ]
    log.refresh_from_db()
    assert log.inspection_date == before


def test_crafted_post_cannot_set_inspector_or_resolution(login, inspector, site, coordinator):
    someone_else = make_user("Inspector")
    data = form_data(site, corrective_actions="Fix it.")
    data.update(
        inspector=someone_else.pk,
        resolved_at="2026-11-24T20:00",
        resolved_by=coordinator.pk,
        resolution_note="Done already",
        created_at="2020-01-01T00:00",
    )

    login(inspector).post(reverse(CREATE), data)

    log = SiteInspectionLog.objects.get()
    assert log.inspector == inspector
    assert (log.resolved_at, log.resolved_by, log.resolution_note) == (None, None, "")
    assert log.has_open_actions


def test_roles_without_the_add_permission_get_403(login, coordinator, client_user, site):
    for user in (coordinator, client_user):
        assert login(user).get(reverse(CREATE)).status_code == 403
        assert login(user).post(reverse(CREATE), form_data(site)).status_code == 403
    assert not SiteInspectionLog.objects.exists()


def test_anonymous_is_sent_to_login(client, site):
    response = client.get(reverse(CREATE))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# -- the visit dropdown's htmx helper ---------------------------------------------------------


def test_visit_options_fragment_lists_the_chosen_sites_visits(login, inspector, site, visit):
    other_visit = VisitFactory(site=SiteMembershipFactory(user=inspector).site)

    response = login(inspector).get(
        reverse("inspections:visit_options"), {"site": site.pk}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{visit.pk}">' in html
    assert f'value="{other_visit.pk}"' not in html
    assert '<option value="">No particular visit</option>' in html
    assert "<html" not in html


def test_visit_options_for_a_site_outside_scope_is_404(login, inspector, site, other_site):
    response = login(inspector).get(reverse("inspections:visit_options"), {"site": other_site.pk})

    assert response.status_code == 404


# -- editing ----------------------------------------------------------------------------------


def edit_url(log):
    return reverse("inspections:inspection_update", args=[log.pk])


def test_inspector_edits_any_inspection_at_an_assigned_site(login, inspector, site, media_files):
    log = InspectionFactory(site=site, score=60)
    data = form_data(site, score="70", findings="Better now.")
    data["photos"] = [uploaded_image()]

    response = login(inspector).post(edit_url(log), data)

    log.refresh_from_db()
    assert response.status_code == 302
    assert (log.score, log.findings) == (70, "Better now.")
    assert log.inspector != inspector  # editing does not take the inspection over
    assert log.photos.count() == 1


def test_technician_edits_their_own_inspection(login, technician, site):
    log = InspectionFactory(site=site, inspector=technician, score=50)

    login(technician).post(edit_url(log), form_data(site, score="65"))

    log.refresh_from_db()
    assert log.score == 65


def test_technician_may_not_edit_someone_elses_inspection(login, technician, site):
    log = InspectionFactory(site=site, score=50)

    assert login(technician).get(edit_url(log)).status_code == 403
    assert login(technician).post(edit_url(log), form_data(site, score="99")).status_code == 403
    log.refresh_from_db()
    assert log.score == 50


def test_inspection_outside_scope_is_404_for_editing(login, inspector, other_site):
    log = InspectionFactory(site=other_site)

    assert login(inspector).get(edit_url(log)).status_code == 404
    assert login(inspector).post(edit_url(log), form_data(other_site)).status_code == 404


def test_crafted_edit_cannot_change_owner_resolution_or_move_out_of_scope(
    login, inspector, site, other_site, coordinator
):
    author = make_user("Inspector")
    log = InspectionFactory(site=site, inspector=author, corrective_actions="Fix it.")
    data = form_data(site, corrective_actions="Fix it.")
    data.update(
        inspector=inspector.pk,
        resolved_at="2026-11-24T20:00",
        resolved_by=coordinator.pk,
        resolution_note="fake",
    )

    login(inspector).post(edit_url(log), data)
    response = login(inspector).post(edit_url(log), form_data(other_site))

    log.refresh_from_db()
    assert "site" in response.context["form"].errors
    assert (log.inspector, log.site) == (author, site)
    assert (log.resolved_at, log.resolved_by, log.resolution_note) == (None, None, "")


def test_edit_form_shows_the_photos_already_attached(login, inspector, site):
    from tests.factories import InspectionPhotoFactory

    photo = InspectionPhotoFactory(log=InspectionFactory(site=site))

    html = login(inspector).get(edit_url(photo.log)).content.decode()

    assert reverse("inspections:photo", args=[photo.pk, "thumb"]) in html
