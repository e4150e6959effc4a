"""The inspection list's rows and score-trend cards, built in Python (inspections/rows.py),
write what the partials write (score badge, corrective-action state, photo thumbnails, the
inline SVG trend), keep the inspector column for staff only, and escape every value."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from inspections.charts import site_trends
from inspections.models import PhotoKind, SiteInspectionLog
from tests.factories import ClientSiteFactory, InspectionFactory, InspectionPhotoFactory, make_user
from tests.scheduling.helpers import queries_for

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection_list")
NASTY = '<b>&"'
ESCAPED = "&lt;b&gt;&amp;&quot;"


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


def cell(label, content):
    return f'<td data-label="{label}">{content}</td>'


@pytest.mark.parametrize(
    ("score", "actions", "age", "resolved"),
    [
        (95, "", 1, False),  # none needed
        (80, "Mop the stairs", 1, False),  # open
        (65, "Mop the stairs", 40, False),  # overdue
        (40, "Mop the stairs", 40, True),  # resolved
    ],
)
def test_a_row_has_the_partials_score_badge_and_action_state(
    login, coordinator, site, score, actions, age, resolved
):
    log = InspectionFactory(
        site=site,
        score=score,
        corrective_actions=actions,
        inspection_date=days_ago(age),
        resolved_at=timezone.now() if resolved else None,
        resolved_by=coordinator if resolved else None,
    )
    response = login(coordinator).get(LIST)
    when = Template_date(log.inspection_date)
    badge = render_to_string("inspections/includes/_score_badge.html", {"score": score})
    state = render_to_string("inspections/includes/_action_state.html", {"log": log})
    assertContains(
        response,
        "<tr>"
        + cell("Inspected at", f'<a href="{log.get_absolute_url()}">{when}</a>')
        + cell("Site", 'OWN-1 <span class="text-body-secondary">Own Tower</span>')
        + cell("Inspector", str(log.inspector))
        + cell("Score", badge)
        + cell("Corrective actions", state)
        + cell("Photos", '<span class="text-body-secondary">—</span>')
        + "</tr>",
        html=True,
    )


def Template_date(value):  # noqa: N802 - reads as the template expression it stands for
    """`{{ value|date:"SHORT_DATETIME_FORMAT" }}`."""
    from django.template import Context, Template

    return Template('{{ v|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"v": value}))


def test_photos_show_as_the_thumbnail_partial_three_at_most(login, coordinator, site):
    many = InspectionFactory(site=site, inspection_date=days_ago(2))
    for _ in range(4):
        InspectionPhotoFactory(log=many, kind=PhotoKind.FINDING)
    fixed = InspectionFactory(site=site, inspection_date=days_ago(1))
    InspectionPhotoFactory(log=fixed, kind=PhotoKind.AFTER)
    InspectionPhotoFactory(log=fixed, kind=PhotoKind.FINDING)
    response = login(coordinator).get(LIST)
    for listed in response.context["object_list"]:
        shown = list(listed.photos.all())[:3]
        thumbs = render_to_string("inspections/includes/_photo_thumbs.html", {"photos": shown})
        assertContains(response, cell("Photos", thumbs), html=True)
    assertContains(response, 'alt="Photo after the fix"', count=1)
    assertContains(response, 'alt="Inspection photo 3"', count=1)
    assert response.content.decode().count('class="thumb"') == 5


def test_a_client_sees_no_inspector_column(login, client_user, site):
    person = make_user("Inspector", full_name="Ines Inspector")
    InspectionFactory(site=site, inspector=person)
    response = login(client_user).get(LIST)
    assertNotContains(response, 'data-label="Inspector"')
    assertNotContains(response, "Ines Inspector")
    assertContains(response, 'data-label="Score"')


def test_the_trend_cards_draw_what_the_trend_partial_draws(login, coordinator, site):
    for n, score in enumerate((70, 85, 92)):
        InspectionFactory(site=site, score=score, inspection_date=days_ago(10 - n))
    response = login(coordinator).get(LIST)
    chart = site_trends(SiteInspectionLog.objects.all(), {site.pk})[site.pk]
    svg = render_to_string("inspections/includes/_score_trend.html", {"chart": chart})
    assertContains(
        response,
        '<div class="col-12 col-sm-6 col-lg-4"><div class="card card-body p-2 trend-card">'
        '<div class="d-flex justify-content-between align-items-center gap-2">'
        f'<a href="?site={site.pk}" title="Own Tower">OWN-1</a>'
        '<span class="text-body-secondary small">latest 92</span></div>'
        f"{svg}</div></div>",
        html=True,
    )
    # Drawn again from what the process remembers: the same.
    assertContains(login(coordinator).get(LIST), svg, html=True)


def test_a_new_inspection_redraws_the_trend(login, coordinator, site):
    InspectionFactory(site=site, score=70, inspection_date=days_ago(3))
    client = login(coordinator)
    client.get(LIST)
    InspectionFactory(site=site, score=99, inspection_date=days_ago(1))
    assertContains(client.get(LIST), "latest 99")
    assertContains(client.get(LIST), "from 70 to 99")


def test_rows_and_trends_escape_site_and_inspector_names(login, coordinator):
    nasty_site = ClientSiteFactory(site_code="ESC-1", site_name=NASTY)
    InspectionFactory(site=nasty_site, inspector=make_user("Inspector", full_name=NASTY))
    response = login(coordinator).get(LIST)
    assertContains(response, f'<span class="text-body-secondary">{ESCAPED}</span>')
    assertContains(response, f'title="{ESCAPED}"')
    assertContains(response, cell("Inspector", ESCAPED))
    assertNotContains(response, NASTY)


def test_the_list_queries_do_not_grow_with_its_rows(login, coordinator, site, other_site):
    client = login(coordinator)
    InspectionFactory(site=site)
    _, few = queries_for(client, f"{LIST}?per_page=100")
    for n in range(30):
        log = InspectionFactory(site=other_site if n % 2 else site, score=50 + n)
        if n % 5 == 0:
            InspectionPhotoFactory(log=log)
    response, many = queries_for(client, f"{LIST}?per_page=100")
    assert len(response.context["object_list"]) == 31
    assert many == few
