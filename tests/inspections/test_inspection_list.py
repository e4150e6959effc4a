"""The inspection list: scoped rows, the shared filter parameters, sorting, the inline SVG
score trend per site, and a constant number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

LIST = "inspections:inspection_list"


def at(days_ago, hour=12):
    return timezone.localtime().replace(hour=hour, minute=0) - dt.timedelta(days=days_ago)


def listed(client, **params):
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_each_user_lists_only_the_inspections_in_their_scope(
    login, coordinator, inspector, client_user, site, other_site
):
    mine = InspectionFactory(site=site)
    elsewhere = InspectionFactory(site=other_site)

    assert set(listed(login(coordinator))) == {mine, elsewhere}
    assert listed(login(inspector)) == [mine]
    assert listed(login(client_user)) == [mine]


def test_client_without_the_grant_lists_nothing(login, site):
    client_user = make_user("Client")
    SiteMembershipFactory(site=site, user=client_user, can_see_inspections=False)
    InspectionFactory(site=site)

    assert listed(login(client_user)) == []


def test_filters_by_site_inspector_and_date_range(login, coordinator, site, other_site):
    ines = make_user("Inspector", full_name="Ines")
    a = InspectionFactory(site=site, inspector=ines, inspection_date=at(1))
    b = InspectionFactory(site=other_site, inspector=ines, inspection_date=at(10))
    c = InspectionFactory(site=site, inspection_date=at(20))
    client = login(coordinator)

    assert set(listed(client, site=site.pk)) == {a, c}
    assert set(listed(client, inspector=ines.pk)) == {a, b}
    from_date = (timezone.localdate() - dt.timedelta(days=12)).isoformat()
    to_date = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    assert listed(client, date_from=from_date, date_to=to_date) == [b]
    assert listed(client, date_from=timezone.localdate().isoformat()) == []


def test_date_range_uses_the_company_time_zone(login, coordinator, site):
    # 23:30 in New York on the 23rd is already the 24th in UTC.
    late = InspectionFactory(
        site=site, inspection_date=timezone.make_aware(dt.datetime(2026, 11, 23, 23, 30))
    )

    assert listed(login(coordinator), date_from="2026-11-23", date_to="2026-11-23") == [late]


def test_filters_by_score_below_and_open_or_overdue_actions(login, coordinator, site):
    low_open = InspectionFactory(site=site, score=55, corrective_actions="Redo floors.")
    old_open = InspectionFactory(
        site=site, score=70, corrective_actions="Descale sink.", inspection_date=at(9)
    )
    InspectionFactory(
        site=site,
        score=60,
        corrective_actions="Done",
        resolved_at=timezone.now(),
        resolved_by=coordinator,
    )
    InspectionFactory(site=site, score=95)
    client = login(coordinator)

    assert {log.score for log in listed(client, score_below=61)} == {55, 60}
    assert set(listed(client, open_actions=1)) == {low_open, old_open}
    assert listed(client, overdue=1) == [old_open]
    assert listed(client, open_actions=1, score_below=60) == [low_open]


def test_invalid_filter_values_are_reported_not_crashed_on(login, coordinator, site):
    InspectionFactory(site=site)

    response = login(coordinator).get(
        reverse(LIST), {"score_below": "abc", "date_from": "yesterday", "site": "x"}
    )

    assert response.status_code == 200
    assert response.context["filter"].errors


def test_search_finds_site_findings_and_actions(login, coordinator, site, other_site):
    lobby = InspectionFactory(site=site, findings="Lobby glass smeared")
    sink = InspectionFactory(site=other_site, findings="", corrective_actions="Descale SINK")
    client = login(coordinator)

    assert listed(client, q="lobby") == [lobby]
    assert listed(client, q="sink") == [sink]
    assert listed(client, q=other_site.site_code.lower()) == [sink]


def test_internal_notes_are_searchable_by_staff_but_not_by_clients(
    login, inspector, client_user, site
):
    log = InspectionFactory(site=site, findings="fine", internal_notes="tech was late again")

    assert listed(login(inspector), q="late again") == [log]
    assert listed(login(client_user), q="late again") == []


def test_ordering_by_score_and_date(login, coordinator, site):
    logs = [
        InspectionFactory(site=site, score=score, inspection_date=at(days))
        for score, days in [(80, 3), (60, 1), (90, 2)]
    ]
    client = login(coordinator)

    assert [log.score for log in listed(client, ordering="score")] == [60, 80, 90]
    assert [log.score for log in listed(client, ordering="-score")] == [90, 80, 60]
    assert listed(client, ordering="date") == [logs[0], logs[2], logs[1]]
    assert listed(client) == [logs[1], logs[2], logs[0]]  # newest first by default


def test_client_sees_no_inspector_column_or_filter(login, client_user, site):
    InspectionFactory(site=site, inspector=make_user("Inspector", full_name="Zed Secretname"))

    response = login(client_user).get(reverse(LIST))

    assert "inspector" not in response.context["filter"].form.fields
    assert "Zed Secretname" not in response.content.decode()


def test_score_trend_per_site_is_an_inline_svg_polyline_without_style_attributes(
    login, coordinator, site
):
    for days, score in [(30, 70), (20, 80), (10, 90)]:
        InspectionFactory(site=site, score=score, inspection_date=at(days))

    html = login(coordinator).get(reverse(LIST)).content.decode()

    svg = re.search(r"<svg class=\"score-trend.*?</svg>", html, re.S).group(0)
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 3
    ys = [float(point.split(",")[1]) for point in points]
    assert ys[0] > ys[1] > ys[2]  # rising scores draw upwards
    assert "style=" not in html
    assert "<script" not in svg


def test_list_shows_open_overdue_and_resolved_badges(login, coordinator, site):
    InspectionFactory(site=site, corrective_actions="a", inspection_date=at(1))
    InspectionFactory(site=site, corrective_actions="b", inspection_date=at(8))
    InspectionFactory(
        site=site, corrective_actions="c", resolved_at=timezone.now(), resolved_by=coordinator
    )

    html = login(coordinator).get(reverse(LIST)).content.decode()

    assert ">Open<" in html and ">Overdue<" in html and ">Resolved<" in html


def _make_rows(count):
    for n in range(count):
        site = ClientSiteFactory()
        log = InspectionFactory(site=site, score=50 + n % 50, corrective_actions="x" * (n % 2))
        InspectionPhotoFactory(log=log)


@pytest.mark.parametrize("rows", [2, 30])
def test_list_runs_a_constant_number_of_queries(
    login, coordinator, client_user, site, rows, django_assert_max_num_queries
):
    _make_rows(rows)
    for user in (coordinator, client_user):
        client = login(user)
        client.get(reverse(LIST))  # warm the session
        with django_assert_max_num_queries(13):
            response = client.get(reverse(LIST), {"ordering": "-score", "q": ""})
        assert response.status_code == 200
