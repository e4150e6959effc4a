"""The site hub's inspection sections: `site_inspections` (last inspections + SVG trend) and
`site_open_actions`, scoped per user, with their own empty state and a fixed query count.
Also the dashboard's `open_actions_summary`."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import InspectionFactory, SiteMembershipFactory, make_user

pytestmark = pytest.mark.django_db


def render(tag, user, site=None):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load inspections_tags %}" + tag)
    return template.render(Context({"request": request, "site": site})).strip()


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


def test_site_inspections_lists_recent_scores_with_an_svg_trend(coordinator, site):
    for days, score in [(30, 61), (20, 74), (10, 88)]:
        InspectionFactory(site=site, score=score, inspection_date=days_ago(days))

    html = render("{% site_inspections site %}", coordinator, site)

    assert "<polyline points=" in html
    assert html.index(">88<") < html.index(">74<") < html.index(">61<")  # newest first
    assert "style=" not in html


def test_site_inspections_shows_the_empty_state_to_someone_who_may_see(inspector, site):
    html = render("{% site_inspections site %}", inspector, site)

    assert "Nothing yet." in html and "<svg" not in html


def test_site_inspections_is_empty_for_users_who_may_not_see_them(site, other_site, inspector):
    InspectionFactory(site=site)
    InspectionFactory(site=other_site)
    ungranted = make_user("Client")
    SiteMembershipFactory(site=site, user=ungranted, can_see_inspections=False)

    assert render("{% site_inspections site %}", ungranted, site) == ""
    assert render("{% site_open_actions site %}", ungranted, site) == ""
    assert render("{% site_inspections site %}", inspector, other_site) == ""


def test_client_with_the_grant_sees_scores_but_not_inspector_or_internal_notes(client_user, site):
    InspectionFactory(
        site=site,
        score=83,
        inspector=make_user("Inspector", full_name="Ines Secret"),
        internal_notes="confidential remark",
    )

    html = render("{% site_inspections site %}", client_user, site)

    assert ">83<" in html
    assert "Ines Secret" not in html and "confidential remark" not in html


def test_site_open_actions_lists_open_ones_oldest_first_and_flags_overdue(coordinator, site):
    InspectionFactory(site=site, corrective_actions="Fresh problem", inspection_date=days_ago(1))
    InspectionFactory(site=site, corrective_actions="Old problem", inspection_date=days_ago(9))
    InspectionFactory(
        site=site, corrective_actions="Fixed", resolved_at=timezone.now(), resolved_by=coordinator
    )

    html = render("{% site_open_actions site %}", coordinator, site)

    assert html.index("Old problem") < html.index("Fresh problem")
    assert "Fixed" not in html
    assert html.count(">Overdue<") == 1 and html.count(">Open<") == 1


def test_site_open_actions_empty_state(coordinator, site):
    InspectionFactory(site=site, corrective_actions="")

    assert "Nothing yet." in render("{% site_open_actions site %}", coordinator, site)


def test_open_actions_summary_counts_open_and_overdue_in_scope(
    coordinator, inspector, site, other_site
):
    InspectionFactory(site=site, corrective_actions="a", inspection_date=days_ago(1))
    InspectionFactory(site=site, corrective_actions="b", inspection_date=days_ago(10))
    InspectionFactory(site=other_site, corrective_actions="c", inspection_date=days_ago(10))

    everyone = render("{% open_actions_summary %}", coordinator)
    mine = render("{% open_actions_summary %}", inspector)

    assert 'href="/inspections/?open_actions=1"' in everyone
    assert 'id="overdue-actions-badge">2<' in everyone
    assert 'id="overdue-actions-badge">1<' in mine


@pytest.mark.parametrize("rows", [1, 25])
def test_tags_run_a_fixed_number_of_queries(
    coordinator, client_user, site, rows, django_assert_max_num_queries
):
    for n in range(rows):
        InspectionFactory(site=site, corrective_actions="x", inspection_date=days_ago(n))
    for user in (coordinator, client_user):
        render("{% site_inspections site %}", user, site)  # warm the permission cache
        user.refresh_from_db()
        with django_assert_max_num_queries(8):
            render("{% site_inspections site %}{% site_open_actions site %}", user, site)
