"""The object gate: every view about one object checks in one order, the same way.

(1) the model permission (403, whatever the URL names), (2) the user's scope (404, exactly like
an object that does not exist), (3) the object predicate (403). Shown on a few representative
views of each kind; a last test walks the URLconf so that no single-object view skips the gate.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api.gate import GatedViewSet
from janitorial_crm.mixins import ObjectGateMixin
from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from sites.models import SiteMembership
from tests.factories import (
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)

MISSING = 987654
# A masked CSRF token: 64 letters and digits, different on every response.
CSRF_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")


def page(response):
    """What a user is shown: the status, the templates and the body (CSRF tokens, which are
    masked anew on every response, left out)."""
    names = [template.name for template in response.templates]
    return response.status_code, names, CSRF_TOKEN.sub(b"<token>", response.content)


@pytest.fixture
def world(site, other_site, technician, inspector):
    colleague = make_user(Role.TECHNICIAN, username="colleague")
    SiteMembershipFactory(site=site, user=colleague)
    other_log = InspectionFactory(site=other_site)
    return {
        "visit_other": VisitFactory(site=other_site, assigned_to=colleague),
        "visit_colleague": VisitFactory(site=site, assigned_to=colleague),
        "visit_own": VisitFactory(site=site, assigned_to=technician),
        "item_other": StockItemFactory(site=other_site),
        "inspection_other": other_log,
        "inspection_by_inspector": InspectionFactory(site=site, inspector=inspector),
        "photo_other": InspectionPhotoFactory(log=other_log),
        "membership_other": SiteMembershipFactory(site=other_site, user=colleague),
    }


# (user, method, URL of an object outside the user's scope, the same URL with a missing id)
OUT_OF_SCOPE_VS_MISSING = [
    ("technician", "get", "/sites/OTHER-1/", "/sites/NOPE-1/"),
    ("technician", "get", "/sites/OTHER-1/report/", "/sites/NOPE-1/report/"),
    ("technician", "get", "/visits/{visit_other.pk}/", "/visits/{missing}/"),
    ("technician", "post", "/visits/{visit_colleague.pk}/start/", "/visits/{missing}/start/"),
    ("inspector", "get", "/stock/{item_other.pk}/", "/stock/{missing}/"),
    (
        "inspector",
        "get",
        "/inspections/{inspection_other.pk}/edit/",
        "/inspections/{missing}/edit/",
    ),
    (
        "client_user",
        "get",
        "/inspections/photos/{photo_other.pk}/thumb/",
        "/inspections/photos/{missing}/thumb/",
    ),
    (
        "coordinator",
        "post",
        "/sites/OWN-1/members/{membership_other.pk}/remove/",
        "/sites/OWN-1/members/{missing}/remove/",
    ),
]


@pytest.mark.parametrize(("role", "method", "out_of_scope", "missing"), OUT_OF_SCOPE_VS_MISSING)
def test_an_object_out_of_scope_looks_exactly_like_a_missing_one(
    request, login, world, role, method, out_of_scope, missing
):
    client = login(request.getfixturevalue(role))
    hidden = getattr(client, method)(out_of_scope.format(**world))
    absent = getattr(client, method)(missing.format(missing=MISSING))
    assert hidden.status_code == 404
    assert page(hidden) == page(absent)


def test_a_membership_of_another_site_is_not_found_through_a_site_the_user_manages(
    login, coordinator, world
):
    membership = world["membership_other"]
    response = login(coordinator).post(f"/sites/OWN-1/members/{membership.pk}/remove/")
    assert response.status_code == 404
    assert SiteMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    ("role", "method", "url"),
    [
        ("client_user", "get", "/visits/{missing}/edit/"),
        ("client_user", "get", "/stock/{missing}/"),
        ("client_user", "get", "/stock/{missing}/edit/"),
        ("inspector", "post", "/visits/{missing}/cancel/"),
        ("technician", "post", "/inspections/{missing}/resolve/"),
    ],
)
def test_a_user_without_the_model_permission_is_refused_even_for_a_missing_id(
    request, login, role, method, url
):
    client = login(request.getfixturevalue(role))
    response = getattr(client, method)(url.format(missing=MISSING))
    assert response.status_code == 403


def test_the_model_permission_is_checked_before_the_scope(login, client_user, world):
    # Out of the client's scope and not theirs to edit: the permission answers first.
    response = login(client_user).get(f"/visits/{world['visit_other'].pk}/edit/")
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


def test_the_scope_is_checked_before_the_object_predicate(login, technician, other_site):
    # A technician may not deactivate any site, but a site they cannot see is not found.
    response = login(technician).post("/sites/OTHER-1/deactivate/")
    assert response.status_code == 404
    other_site.refresh_from_db()
    assert other_site.active


def test_a_site_the_user_sees_but_may_not_change_is_forbidden(login, technician, site):
    response = login(technician).post("/sites/OWN-1/deactivate/")
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.active


def test_a_technician_cannot_edit_an_inspection_filed_by_someone_else_at_their_site(
    login, technician, world
):
    log = world["inspection_by_inspector"]
    response = login(technician).post(f"/inspections/{log.pk}/edit/", {"score": "10"})
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.score == 85


def test_a_planner_cannot_cancel_a_completed_visit(login, coordinator, world):
    visit = world["visit_own"]
    visit.status = VisitStatus.COMPLETED
    visit.save()
    response = login(coordinator).post(f"/visits/{visit.pk}/cancel/", {"scope": "this"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED


def test_a_technician_cannot_start_a_colleagues_visit_they_can_see(login, inspector, world):
    # The inspector sees every visit at the site but starts none: the predicate says no.
    visit = world["visit_colleague"]
    response = login(inspector).post(f"/visits/{visit.pk}/start/")
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SCHEDULED


def test_a_post_only_action_answers_get_with_method_not_allowed(login, coordinator, world):
    assert login(coordinator).get(f"/visits/{world['visit_own'].pk}/cancel/").status_code == 405


# --- Every single-object view stands on the gate ---------------------------------------------

# Routes that name something in their URL but are not views about one object the user sees.
NOT_GATED = {
    "password_reset_confirm": "Django's own view; the URL carries a reset token, not an object",
    "scheduling:calendar_feed_ics": "public by design: the token in the URL is the credential",
    "signup_confirm": "public: the URL carries a signed sign-up link, not an object",
}


def single_object_routes():
    """(name, view class) of every named route whose URL carries a parameter."""

    def walk(patterns, namespace="", inherited=False):
        for entry in patterns:
            has_params = inherited or bool(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue  # the admin has its own gate (ModelAdmin permissions)
                prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix, has_params)
            elif isinstance(entry, URLPattern) and has_params:
                callback = entry.callback
                # A DRF viewset's callback names its class `cls`, a Django view's `view_class`.
                yield (
                    f"{namespace}{entry.name}",
                    getattr(callback, "view_class", getattr(callback, "cls", None)),
                )

    return list(walk(get_resolver().url_patterns))


# The portal's gate, and the same three checks for the API (api.gate.GatedViewSet).
GATES = (ObjectGateMixin, GatedViewSet)


def test_every_single_object_view_stands_on_the_object_gate():
    routes = single_object_routes()
    assert routes, "the URLconf walk found no route with a parameter"
    ungated = sorted(
        name
        for name, view_class in routes
        if name not in NOT_GATED and not (view_class is not None and issubclass(view_class, GATES))
    )
    assert ungated == []


def test_every_listed_exception_is_still_a_route():
    names = {name for name, _view_class in single_object_routes()}
    assert set(NOT_GATED) <= names
