"""Every scheduling route × every role: allowed, 403 (wrong role), 404 (out of scope), login.

`own` is a visit of the cast's technician at the cast's site; `other` is a visit of somebody
else at a site nobody from the cast belongs to.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.factories import VisitFactory, VisitSeriesFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin", "supervisor", "coordinator", "technician", "inspector", "client", "anon")
PLANNERS = {"admin": 200, "supervisor": 200, "coordinator": 200}
DENIED = {"technician": 403, "inspector": 403, "client": 403}


def expect(**outcomes):
    """Fill in the roles not named: anonymous → login redirect (302 to /accounts/login/)."""
    return {"anon": "login", **outcomes}


# (url name, method, visit: None | "own" | "other", {role: expected status})
MATRIX = [
    ("visit_list", "get", None, expect(**PLANNERS, technician=200, inspector=200, client=403)),
    ("visit_create", "get", None, expect(**PLANNERS, **DENIED)),
    ("board", "get", None, expect(**PLANNERS, **DENIED)),
    (
        "my_day",
        "get",
        None,
        expect(**PLANNERS, technician=200, inspector=403, client=403),
    ),
    (
        "calendar_feed",
        "get",
        None,
        expect(**PLANNERS, technician=200, inspector=403, client=403),
    ),
    (
        "visit_detail",
        "get",
        "own",
        expect(**PLANNERS, technician=200, inspector=200, client=403),
    ),
    (
        "visit_detail",
        "get",
        "other",
        expect(**PLANNERS, technician=404, inspector=404, client=403),
    ),
    ("visit_update", "get", "own", expect(**PLANNERS, **DENIED)),
    ("visit_update_following", "get", "own", expect(**PLANNERS, **DENIED)),
    ("visit_move", "get", "own", expect(**PLANNERS, **DENIED)),
    (
        "visit_start",
        "post",
        "own",
        expect(
            admin=302, supervisor=302, coordinator=302, technician=302, inspector=403, client=403
        ),
    ),
    (
        "visit_start",
        "post",
        "other",
        expect(
            admin=302, supervisor=302, coordinator=302, technician=404, inspector=403, client=403
        ),
    ),
    (
        "visit_complete",
        "post",
        "own",
        expect(
            admin=302, supervisor=302, coordinator=302, technician=302, inspector=403, client=403
        ),
    ),
    (
        "visit_note",
        "post",
        "own",
        expect(
            admin=302, supervisor=302, coordinator=302, technician=302, inspector=403, client=403
        ),
    ),
    (
        "visit_note",
        "post",
        "other",
        expect(
            admin=302, supervisor=302, coordinator=302, technician=404, inspector=403, client=403
        ),
    ),
    (
        "visit_cancel",
        "post",
        "own",
        expect(admin=302, supervisor=302, coordinator=302, **DENIED),
    ),
    (
        "visit_status",
        "post",
        "own",
        expect(admin=302, supervisor=302, coordinator=302, **DENIED),
    ),
    (
        "calendar_feed_regenerate",
        "post",
        None,
        expect(
            admin=302, supervisor=302, coordinator=302, technician=302, inspector=403, client=403
        ),
    ),
    (
        "calendar_feed_revoke",
        "post",
        None,
        expect(
            admin=302, supervisor=302, coordinator=302, technician=302, inspector=403, client=403
        ),
    ),
]

CASES = [
    pytest.param(name, method, which, role, outcomes[role], id=f"{name}-{which}-{role}")
    for name, method, which, outcomes in MATRIX
    for role in ROLES
]


@pytest.fixture
def cast(admin_user, supervisor, coordinator, technician, inspector, client_user):
    return {
        "admin": admin_user,
        "supervisor": supervisor,
        "coordinator": coordinator,
        "technician": technician,
        "inspector": inspector,
        "client": client_user,
        "anon": None,
    }


@pytest.fixture
def visits(site, other_site, technician):
    series = VisitSeriesFactory(site=site, assigned_to=technician)
    return {
        "own": VisitFactory(site=site, assigned_to=technician, series=series),
        "other": VisitFactory(site=other_site),
    }


@pytest.mark.parametrize(("name", "method", "which", "role", "expected"), CASES)
def test_route_answers_each_role_as_the_access_rules_say(
    client, cast, visits, name, method, which, role, expected
):
    user = cast[role]
    if user is not None:
        client.force_login(user)
    args = [visits[which].pk] if which else []
    url = reverse(f"scheduling:{name}", args=args)
    data = {"note": "hello", "status": "missed", "scope": "this"} if method == "post" else None
    response = getattr(client, method)(url, data)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def test_every_scheduling_route_is_in_the_matrix():
    """A new URL must be added to MATRIX (the token feed has its own tests)."""
    resolver = get_resolver().namespace_dict["scheduling"][1]
    names = {pattern.name for pattern in resolver.url_patterns}
    covered = {row[0] for row in MATRIX} | {"calendar_feed_ics"}
    assert names == covered


def test_a_technician_guessing_ids_gets_404_everywhere(login, technician, other_site):
    visit = VisitFactory(site=other_site)
    client = login(technician)
    for name in ("visit_detail",):
        assert client.get(reverse(f"scheduling:{name}", args=[visit.pk])).status_code == 404
    for name in ("visit_start", "visit_complete", "visit_note"):
        response = client.post(reverse(f"scheduling:{name}", args=[visit.pk]), {"note": "x"})
        assert response.status_code == 404
    assert client.get(reverse("scheduling:visit_detail", args=[10**9])).status_code == 404


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
