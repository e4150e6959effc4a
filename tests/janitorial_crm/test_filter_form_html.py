"""The list pages' filter forms are written in Python (`as_bootstrap_field`, not crispy's
per-field templates) and still carry crispy's markup: for every field of every list's filter
form, with and without errors, the page holds the element crispy renders for that field (same
tags, ids, classes, labels, values, errors; whitespace aside)."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.html import parse_html
from django.urls import reverse

from tests.factories import ClientSiteFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "site list": ("portal:site_list", {"q": "plaza", "low_stock": "on", "service_level": "gold"}),
    "visit list": ("scheduling:visit_list", {"date_from": "2026-11-01", "status": "scheduled"}),
    "stock list": ("inventory:item_list", {"low": "on", "category": "chemical"}),
    "low stock": ("inventory:low_stock", {"q": "soap"}),
    "inspection list": ("inspections:inspection_list", {"open_actions": "on", "score_below": "3"}),
}
BAD = {
    "site list": {"not_inspected_days": "0", "service_level": "platinum"},
    "visit list": {"date_from": "not a date", "site": "NO-SUCH-SITE", "status": "lost"},
    "stock list": {"site": "NO-SUCH-SITE", "category": "nothing"},
    "low stock": {"site": "NO-SUCH-SITE"},
    "inspection list": {"date_to": "31/31/2026", "score_below": "many", "inspector": "nobody"},
}


def filter_fields(response):
    form = response.context["filter"].form
    return [form[name] for name in form.fields]


def assert_crispy_markup_for_every_field(response):
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    fields = filter_fields(response)
    assert fields
    for field in fields:
        # Rendered after the page, from the same bound form: crispy's own markup for the field.
        expected = parse_html(str(as_crispy_field(field)))
        assert page.count(expected) == 1, field.name


@pytest.mark.parametrize("page", PAGES)
def test_a_filter_form_has_crispys_markup_for_every_field(login, coordinator, site, page):
    url_name, query = PAGES[page]
    response = login(coordinator).get(reverse(url_name), query)
    assert_crispy_markup_for_every_field(response)
    # Written in Python: none of crispy's per-field templates is rendered for the page.
    assert not [t.name for t in response.templates if t.name.startswith("bootstrap5/")]


@pytest.mark.parametrize("page", BAD)
def test_a_filter_forms_errors_sit_next_to_their_fields_as_crispy_writes_them(
    login, coordinator, site, page
):
    url_name, _query = PAGES[page]
    response = login(coordinator).get(reverse(url_name), BAD[page])
    assert response.context["filter"].form.errors
    assert_crispy_markup_for_every_field(response)
    html = response.content.decode()
    assert "is-invalid" in html
    assert 'class="invalid-feedback"' in html


def test_a_chosen_site_shows_in_the_picker_with_its_label_and_id(login, coordinator, site):
    response = login(coordinator).get(reverse("scheduling:visit_list"), {"site": site.pk})
    assert_crispy_markup_for_every_field(response)
    html = response.content.decode()
    assert f'data-picker-value="{site.pk}"' in html
    assert '<label for="id_site" class="form-label">' in html
    assert 'id="div_id_site"' in html


def test_field_labels_and_values_are_escaped(login, coordinator):
    ClientSiteFactory(client_name='<b>&"client')
    response = login(coordinator).get(reverse("portal:site_list"), {"q": '<script>"x'})
    assert_crispy_markup_for_every_field(response)
    html = response.content.decode()
    assert '<script>"x' not in html
    assert "&lt;b&gt;&amp;&quot;client" in html
