"""Every inspections route × every role: allowed succeeds, wrong role 403, outside the scope
404, anonymous to the login page, waiting accounts to the waiting page. A companion test fails
when a route of the app is missing from the table."""

import pytest
from django.urls import get_resolver, reverse

from inspections.models import SiteInspectionLog
from tests.factories import (
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

OK, REDIRECT = 200, 302
LOGIN, WAITING = "login", "waiting"

ROLES = [
    "anonymous",
    "waiting",
    "admin",
    "supervisor",
    "coordinator",
    "technician",
    "inspector",
    "client",
    "client_nogrant",
    "inspector_elsewhere",
]

# route -> expected per role, in ROLES order. The target inspection is at the cast's site, filed
# by a colleague inspector, with an open corrective action and one photo.
MATRIX = {
    "inspection_list":   [LOGIN, WAITING, OK, OK, OK, OK, OK, OK, OK, OK],
    "inspection_detail": [LOGIN, WAITING, OK, OK, OK, OK, OK, OK, 404, 404],
    "inspection_create": [LOGIN, WAITING, OK, OK, 403, OK, OK, 403, 403, OK],
    "inspection_update": [LOGIN, WAITING, OK, OK, 403, 403, OK, 403, 403, 404],
    "inspection_resolve": [LOGIN, WAITING, REDIRECT, REDIRECT, REDIRECT, 403, 403, 403, 403, 403],
    "photo":             [LOGIN, WAITING, OK, OK, OK, OK, OK, OK, 404, 404],
    "visit_options":     [LOGIN, WAITING, OK, OK, 403, OK, OK, 403, 403, OK],
}  # fmt: skip


@pytest.fixture
def world(site):
    users = {
        "waiting": make_user(None),
        "admin": make_user("Admin"),
        "supervisor": make_user("Supervisor"),
        "coordinator": make_user("Coordinator"),
        "technician": make_user("Technician"),
        "inspector": make_user("Inspector"),
        "client": make_user("Client"),
        "client_nogrant": make_user("Client"),
        "inspector_elsewhere": make_user("Inspector"),
    }
    for key in ("technician", "inspector"):
        SiteMembershipFactory(site=site, user=users[key])
    SiteMembershipFactory(site=site, user=users["client"], can_see_inspections=True)
    SiteMembershipFactory(site=site, user=users["client_nogrant"], can_see_inspections=False)
    SiteMembershipFactory(user=users["inspector_elsewhere"])
    log = InspectionFactory(site=site, corrective_actions="Fix the mats.")
    photo = InspectionPhotoFactory(log=log)
    return users, log, photo


def request(client, route, log, photo):
    if route == "inspection_list":
        return client.get(reverse("inspections:inspection_list"))
    if route == "inspection_detail":
        return client.get(reverse("inspections:inspection_detail", args=[log.pk]))
    if route == "inspection_create":
        return client.get(reverse("inspections:inspection_create"))
    if route == "inspection_update":
        return client.get(reverse("inspections:inspection_update", args=[log.pk]))
    if route == "inspection_resolve":
        url = reverse("inspections:inspection_resolve", args=[log.pk])
        return client.post(url, {"note": "Mats replaced."})
    if route == "photo":
        return client.get(reverse("inspections:photo", args=[photo.pk, "thumb"]))
    if route == "visit_options":
        return client.get(reverse("inspections:visit_options"))
    raise AssertionError(f"no request for {route}")


CASES = [
    (route, role, expected)
    for route, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(
    ("route", "role", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_access(client, world, route, role, expected):
    users, log, photo = world
    if role != "anonymous":
        client.force_login(users[role])

    response = request(client, route, log, photo)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == WAITING:
        assert response.status_code == 302
        assert response["Location"] == reverse("waiting")
    else:
        assert response.status_code == expected
    if route == "inspection_resolve":
        log.refresh_from_db()
        assert (log.resolved_at is not None) == (expected == REDIRECT)
    assert SiteInspectionLog.objects.count() == 1


def test_every_inspections_route_is_in_the_matrix():
    names = {
        name
        for name, _ in get_resolver().namespace_dict["inspections"][1].reverse_dict.items()
        if isinstance(name, str)
    }

    assert names == set(MATRIX)
