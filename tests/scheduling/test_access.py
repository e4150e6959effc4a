"""Which visits a field user's list shows: their scope, row by row. Who may open which
scheduling page is in the access matrix (tests/access/test_matrix.py)."""

import pytest
from django.urls import reverse

from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_a_technician_only_their_own_visits(login, technician, site, other_site):
    mine = VisitFactory(site=site, assigned_to=technician)
    theirs = VisitFactory(site=site)
    html = login(technician).get(reverse("scheduling:visit_list")).content.decode()
    assert mine.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html


def test_the_list_shows_an_inspector_the_visits_at_assigned_sites(
    login, inspector, site, other_site
):
    here = VisitFactory(site=site)
    elsewhere = VisitFactory(site=other_site)
    html = login(inspector).get(reverse("scheduling:visit_list")).content.decode()
    assert here.get_absolute_url() in html
    assert elsewhere.get_absolute_url() not in html
