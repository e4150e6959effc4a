"""Without JavaScript a picker is a text box: a pk (links), a code or username, or a unique
name picks the row; an ambiguous or unknown one is a message next to the field."""

import re

import pytest
from django.urls import reverse

from inventory.models import SupplyInventory
from scheduling.models import CleaningSchedule
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import plan

pytestmark = pytest.mark.django_db

VISITS = reverse("scheduling:visit_list")


@pytest.fixture
def visits(technician, site, other_site):
    return {
        "own": VisitFactory(site=site, assigned_to=technician),
        "other": VisitFactory(site=other_site, assigned_to=None),
    }


def listed(response, visits):
    assert response.status_code == 200
    return sorted(key for key, visit in visits.items() if visit in response.context["object_list"])


def site_errors(response):
    return response.context["filter"].form.errors.get("site", [])


@pytest.mark.parametrize("typed", ["{pk}", "OWN-1", "own-1", " Own Tower ", "own tower"])
def test_the_visit_filter_reads_a_pk_a_code_or_a_name(login, coordinator, site, visits, typed):
    response = login(coordinator).get(VISITS, {"site": typed.format(pk=site.pk)})
    assert listed(response, visits) == ["own"]
    assert site_errors(response) == []


def test_the_filter_box_shows_the_chosen_sites_code(login, coordinator, site, visits):
    html = login(coordinator).get(VISITS, {"site": site.pk}).content.decode()
    box = re.search(r'<input type="text" name="site"[^>]*>', html).group(0)
    assert 'value="OWN-1"' in box
    assert f'data-picker-value="{site.pk}"' in box
    assert 'data-picker-label="OWN-1 · Own Tower"' in box
    assert f'data-picker-url="{reverse("pickers:sites")}"' in box


def test_a_name_two_sites_share_is_a_filter_error(login, coordinator, site, visits):
    ClientSiteFactory(site_code="TWIN-1", site_name="Twin Hall")
    ClientSiteFactory(site_code="TWIN-2", site_name="twin hall")
    response = login(coordinator).get(VISITS, {"site": "Twin Hall"})
    assert site_errors(response) == ["Several sites are called “Twin Hall”: type the site code."]
    assert listed(response, visits) == ["other", "own"]  # an invalid filter filters nothing
    assert 'value="Twin Hall"' in response.content.decode()  # what was typed stays


@pytest.mark.parametrize("typed", ["Nowhere", "999999", "99999999999999999999999", "\x00"])
def test_an_unknown_site_is_a_filter_error(login, coordinator, site, visits, typed):
    response = login(coordinator).get(VISITS, {"site": typed})
    assert response.status_code == 200
    assert len(site_errors(response)) == 1


def test_a_site_out_of_scope_is_unknown_by_code_name_and_pk(
    login, technician, site, other_site, visits
):
    client = login(technician)
    for typed in ("OTHER-1", "Other Plaza", str(other_site.pk)):
        response = client.get(VISITS, {"site": typed})
        assert site_errors(response) == [f"No site has the code or name “{typed}”."]


def test_the_technician_filter_reads_a_username_or_a_full_name(
    login, coordinator, technician, visits
):
    client = login(coordinator)
    for typed in (technician.username, technician.full_name.upper(), str(technician.pk)):
        response = client.get(VISITS, {"assigned_to": typed})
        assert listed(response, visits) == ["own"], typed


def test_a_visit_is_planned_with_a_typed_site_code_and_username(
    frozen, login, coordinator, site, technician
):
    data = {**plan(site, technician), "site": "own-1", "assigned_to": technician.username}
    response = login(coordinator).post(reverse("scheduling:visit_create"), data)
    assert response.status_code == 302
    visit = CleaningSchedule.objects.get()
    assert (visit.site, visit.assigned_to) == (site, technician)


def test_planning_with_an_unknown_technician_is_a_field_error(
    frozen, login, coordinator, site, technician
):
    data = plan(site, technician, assigned_to="nobody-here")
    response = login(coordinator).post(reverse("scheduling:visit_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["assigned_to"] == [
        "Nobody has the username or name “nobody-here”."
    ]
    assert not CleaningSchedule.objects.exists()


def test_two_people_with_one_name_need_the_username(frozen, login, coordinator, site):
    make_user("Technician", username="sam1", full_name="Sam Smith")
    second = make_user("Technician", username="sam2", full_name="Sam Smith")
    client = login(coordinator)
    data = plan(site, None, assigned_to="Sam Smith")
    response = client.post(reverse("scheduling:visit_create"), data)
    assert response.context["form"].errors["assigned_to"] == [
        "Several people are called “Sam Smith”: type the username."
    ]
    client.post(reverse("scheduling:visit_create"), {**data, "assigned_to": "SAM2"})
    assert CleaningSchedule.objects.get().assigned_to == second


def test_a_stock_item_is_created_at_a_site_typed_by_name(login, coordinator, site):
    data = {
        "site": "Own Tower",
        "item_name": "Mop heads",
        "sku": "mop-1",
        "category": SupplyInventory._meta.get_field("category").choices[0][0],
        "unit": SupplyInventory._meta.get_field("unit").choices[0][0],
        "reorder_level": "2",
    }
    response = login(coordinator).post(reverse("inventory:item_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert SupplyInventory.objects.get().site == site


def test_the_chosen_rows_label_is_escaped_in_the_box(login, coordinator, visits):
    odd = ClientSiteFactory(site_code="ODD-1", site_name='"><script>alert(1)</script>')
    html = login(coordinator).get(VISITS, {"site": odd.pk}).content.decode()
    assert "<script>alert(1)" not in html
    assert 'data-picker-label="ODD-1 · &quot;&gt;&lt;script&gt;' in html
