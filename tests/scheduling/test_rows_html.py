"""The visit list's rows and the board's cards, built in Python (scheduling/rows.py), write
what the templates wrote: the status badge partial, links, the unassigned badge, the card ids
and htmx attributes the live redraws and the move form rely on, every value escaped."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from scheduling.models import VisitStatus
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import MONDAY, TODAY, queries_for, t

pytestmark = pytest.mark.django_db

NASTY = '<b>&"'
ESCAPED = "&lt;b&gt;&amp;&quot;"
BOARD = reverse("scheduling:board")
VISITS = reverse("scheduling:visit_list")


@pytest.fixture
def nasty_site(db):
    return ClientSiteFactory(site_code="ESC-1", site_name=NASTY)


def test_a_visit_row_has_the_date_link_time_site_technician_and_status_badge(
    login, coordinator, technician, site
):
    visit = VisitFactory(site=site, assigned_to=technician, status=VisitStatus.MISSED)
    response = login(coordinator).get(VISITS)
    badge = render_to_string("scheduling/includes/_status_badge.html", {"visit": visit})
    assertContains(
        response,
        f'<tr class="visit-row visit-row-missed">'
        f'<td data-label="Date"><a href="{visit.get_absolute_url()}">Tue 24 Nov 2026</a></td>'
        f'<td data-label="Time">18:00–22:00</td>'
        f'<td data-label="Site">OWN-1 · Own Tower</td>'
        f'<td data-label="Technician">{technician}</td>'
        f'<td data-label="Status">{badge}</td></tr>',
        html=True,
    )


def test_an_unassigned_overnight_visit_says_so(login, coordinator, site):
    VisitFactory(site=site, assigned_to=None, start_time=t("22:00"), end_time=t("02:00"))
    response = login(coordinator).get(VISITS)
    assertContains(response, "22:00–02:00 (+1 day)")
    assertContains(
        response,
        '<td data-label="Technician"><span class="badge text-bg-warning">Unassigned</span></td>',
        html=True,
    )


def test_the_visit_list_escapes_site_and_technician_names(login, coordinator, nasty_site):
    person = make_user("Technician", full_name=NASTY)
    VisitFactory(site=nasty_site, assigned_to=person)
    response = login(coordinator).get(VISITS)
    assertContains(response, f"ESC-1 · {ESCAPED}")
    assertContains(response, f'<td data-label="Technician">{ESCAPED}</td>')
    assertNotContains(response, NASTY)


def test_the_visit_list_queries_do_not_grow_with_its_rows(
    login, coordinator, technician, site, other_site
):
    client = login(coordinator)
    VisitFactory(site=site, assigned_to=technician)
    _, few = queries_for(client, f"{VISITS}?per_page=100")
    for n in range(30):
        VisitFactory(site=other_site if n % 2 else site, assigned_to=technician if n % 3 else None)
    response, many = queries_for(client, f"{VISITS}?per_page=100")
    assert len(response.context["object_list"]) == 31
    assert many == few


def test_a_board_card_keeps_its_id_classes_links_and_move_form_target(
    login, coordinator, technician, site
):
    visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
    url = f"{BOARD}?week={MONDAY}"
    response = login(coordinator).get(url)
    move = f"{reverse('scheduling:visit_move', args=[visit.pk])}?next={quote(url, safe='/')}"
    assertContains(
        response,
        f'<div class="board-visit board-visit-scheduled" id="visit-card-{visit.pk}">'
        f'<a class="board-visit-main" href="{visit.get_absolute_url()}">'
        f'<span class="board-visit-time">18:00–22:00</span>'
        f'<span class="board-visit-who">OWN-1</span></a>'
        f'<span class="badge status-scheduled">Scheduled</span>'
        f'<a class="board-visit-move small" href="{move}" hx-get="{move}" '
        f'hx-target="#visit-card-{visit.pk}" hx-swap="innerHTML">Move</a></div>',
        html=True,
    )


def test_a_closed_card_has_no_move_link_and_an_unassigned_card_says_so(
    login, coordinator, technician, site
):
    done = VisitFactory(site=site, assigned_to=technician, status=VisitStatus.COMPLETED)
    free = VisitFactory(site=site, assigned_to=None)
    response = login(coordinator).get(BOARD)
    html = response.content.decode()
    card = html[html.index(f'id="visit-card-{done.pk}"') :]
    assert "board-visit-move" not in card[: card.index("</div>")]
    assertContains(response, 'class="board-visit board-visit-completed"')
    assertContains(response, 'class="board-visit board-visit-scheduled board-visit-unassigned"')
    assertContains(response, f'id="visit-card-{free.pk}"')
    # The "Unassigned" row has no "+": nobody to plan for.
    row = html[html.index('<tr class="board-unassigned">') :]
    assert "board-add" not in row[: row.index("</tr>")]


def test_the_plus_links_plan_for_the_row_and_day(login, coordinator, technician, site):
    VisitFactory(site=site, assigned_to=technician)
    response = login(coordinator).get(f"{BOARD}?assigned_to={technician.pk}")
    create = reverse("scheduling:visit_create")
    assertContains(
        response,
        f'<a class="board-add" href="{create}?date={TODAY}&amp;assigned_to={technician.pk}" '
        f'title="Plan a visit here" aria-label="Plan a visit: {technician}, Tue 24 Nov">+</a>',
        html=True,
    )
    assertContains(response, '<td class="board-cell board-today">')


def test_the_board_by_site_escapes_names_and_shows_who(login, coordinator, nasty_site):
    person = make_user("Technician", full_name=NASTY)
    VisitFactory(site=nasty_site, assigned_to=person)
    VisitFactory(site=nasty_site, assigned_to=None, service_date=TODAY + dt.timedelta(days=1))
    response = login(coordinator).get(f"{BOARD}?view=site")
    assertContains(
        response,
        f'<a href="{nasty_site.get_absolute_url()}">ESC-1 · {ESCAPED}</a>',
        html=True,
    )
    assertContains(response, f'<span class="board-visit-who">{ESCAPED}</span>', html=True)
    assertContains(response, '<span class="board-visit-who">Unassigned</span>', html=True)
    assertContains(response, f'aria-label="Plan a visit: ESC-1 · {ESCAPED}, Mon 23 Nov"')
    assertNotContains(response, NASTY)


def test_the_board_queries_do_not_grow_with_its_cards(login, coordinator, technician, site):
    client = login(coordinator)
    VisitFactory(site=site, assigned_to=technician)
    _, few = queries_for(client, BOARD)
    for n in range(30):
        VisitFactory(
            site=site,
            assigned_to=technician if n % 2 else None,
            service_date=MONDAY + dt.timedelta(days=n % 7),
            status=VisitStatus.values[n % len(VisitStatus.values)],
        )
    _, many = queries_for(client, BOARD)
    assert many == few
