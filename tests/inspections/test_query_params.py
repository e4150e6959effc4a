"""Ids read from query strings: anything that is not a plain ASCII number of sane length is
ignored (a preselection) or a 404 (a lookup), never a 500."""

import pytest
from django.urls import reverse

from inspections.models import SiteInspectionLog

pytestmark = pytest.mark.django_db

CREATE = reverse("inspections:inspection_create")
VISIT_OPTIONS = reverse("inspections:visit_options")
NOT_IDS = ["²", "٣", "9" * 5000, "99999999999999999999", "-1", "0", "1.0", " "]


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_form_ignores_a_site_that_is_not_an_id(login, inspector, site, value):
    response = login(inspector).get(CREATE, {"site": value})

    assert response.status_code == 200
    assert "site" not in response.context["form"].initial
    assert not SiteInspectionLog.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_form_ignores_a_visit_that_is_not_an_id(login, inspector, site, visit, value):
    response = login(inspector).get(CREATE, {"site": site.pk, "schedule": value})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["site"] == site.pk
    assert "schedule" not in form.initial
    assert list(form.fields["schedule"].queryset) == [visit]


def test_the_form_preselects_the_site_and_visit_it_is_given(login, inspector, site, visit):
    response = login(inspector).get(CREATE, {"site": f"{site.pk}", "schedule": f"{visit.pk}"})

    assert response.status_code == 200
    assert (
        response.context["form"].initial["site"],
        response.context["form"].initial["schedule"],
    ) == (
        site.pk,
        visit.pk,
    )


@pytest.mark.parametrize("value", NOT_IDS[:-1])
def test_visit_options_for_a_site_that_is_not_an_id_is_404(login, inspector, site, value):
    response = login(inspector).get(VISIT_OPTIONS, {"site": value}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
