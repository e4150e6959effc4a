"""The access matrix: every portal route × every role × own / colleague's / other site's object.

One table, read row by row: the route, the object it is called on, the HTTP method, and the
outcome for each role (DESIGN.md "Who may do what"). Two more columns are implied for every row:
anonymous users are sent to the login page and accounts without a role to the waiting page.

  ok   the gate lets the user through (2xx, or a redirect that is not to login/waiting)
  403  in scope (or no object involved) but the role may not do this
  404  the object is outside the user's scope: its existence is not revealed

A companion test fails when a named URL of the project is neither in the table nor in the
short list of routes that are public or covered elsewhere.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.conftest import ROLES

COLUMNS = [
    "admin",
    "supervisor",
    "coordinator",
    "technician",
    "inspector",
    "client",
    "client_nogrant",
]

MATRIX = """
# route                             object             method adm  sup  coo  tech insp clnt nogrant
sites:site_list                     -                  get    ok   ok   ok   ok   ok   ok   ok
sites:site_export                   -                  get    ok   ok   ok   403  403  403  403
sites:site_create                   -                  get    ok   ok   ok   403  403  403  403
sites:site_detail                   site_own           get    ok   ok   ok   ok   ok   ok   ok
sites:site_detail                   site_other         get    ok   ok   ok   404  404  404  404
sites:site_update                   site_own           get    ok   ok   ok   403  403  403  403
sites:site_update                   site_other         get    ok   ok   ok   404  404  404  404
sites:site_deactivate               site_own           post   ok   ok   ok   403  403  403  403
sites:site_deactivate               site_other         post   ok   ok   ok   404  404  404  404
sites:site_reactivate               site_own           post   ok   ok   ok   403  403  403  403
sites:site_reactivate               site_other         post   ok   ok   ok   404  404  404  404
sites:site_delete                   site_own           post   ok   ok   403  403  403  403  403
sites:site_delete                   site_other         post   ok   ok   403  404  404  404  404
sites:site_report                   site_own           get    ok   ok   ok   ok   ok   ok   ok
sites:site_report                   site_other         get    ok   ok   ok   404  404  404  404
sites:membership_create             site_own           post   ok   ok   ok   403  403  403  403
sites:membership_create             site_other         post   ok   ok   ok   404  404  404  404
sites:membership_delete             membership_own     post   ok   ok   ok   403  403  403  403
sites:membership_delete             membership_other   post   ok   ok   ok   404  404  404  404
sites:membership_grant              membership_own     post   ok   ok   ok   403  403  403  403
sites:membership_grant              membership_other   post   ok   ok   ok   404  404  404  404

scheduling:visit_list               -                  get    ok   ok   ok   ok   ok   403  403
scheduling:visit_create             -                  get    ok   ok   ok   403  403  403  403
scheduling:board                    -                  get    ok   ok   ok   403  403  403  403
scheduling:my_day                   -                  get    ok   ok   ok   ok   403  403  403
scheduling:visit_detail             visit_own          get    ok   ok   ok   ok   ok   403  403
scheduling:visit_detail             visit_colleague    get    ok   ok   ok   404  ok   403  403
scheduling:visit_detail             visit_other        get    ok   ok   ok   404  404  403  403
scheduling:visit_update             visit_own          get    ok   ok   ok   403  403  403  403
scheduling:visit_update             visit_other        get    ok   ok   ok   403  403  403  403
scheduling:visit_update_following   visit_series_own   get    ok   ok   ok   403  403  403  403
scheduling:visit_move               visit_own          post   ok   ok   ok   403  403  403  403
scheduling:visit_cancel             visit_own          post   ok   ok   ok   403  403  403  403
scheduling:visit_status             visit_own          post   ok   ok   ok   403  403  403  403
scheduling:visit_start              visit_own          post   ok   ok   ok   ok   403  403  403
scheduling:visit_start              visit_colleague    post   ok   ok   ok   404  403  403  403
scheduling:visit_start              visit_other        post   ok   ok   ok   404  403  403  403
scheduling:visit_complete           visit_own          post   ok   ok   ok   ok   403  403  403
scheduling:visit_complete           visit_colleague    post   ok   ok   ok   404  403  403  403
scheduling:visit_note               visit_own          post   ok   ok   ok   ok   403  403  403
scheduling:visit_note               visit_other        post   ok   ok   ok   404  403  403  403
scheduling:calendar_feed            -                  get    ok   ok   ok   ok   403  403  403
scheduling:calendar_feed_regenerate -                  post   ok   ok   ok   ok   403  403  403
scheduling:calendar_feed_revoke     -                  post   ok   ok   ok   ok   403  403  403

inventory:item_list                 -                  get    ok   ok   ok   ok   ok   403  403
inventory:item_export               -                  get    ok   ok   ok   ok   ok   403  403
inventory:low_stock                 -                  get    ok   ok   ok   ok   ok   403  403
inventory:item_create               -                  get    ok   ok   ok   403  403  403  403
inventory:item_detail               item_own           get    ok   ok   ok   ok   ok   403  403
inventory:item_detail               item_other         get    ok   ok   ok   404  404  403  403
inventory:item_update               item_own           get    ok   ok   ok   403  403  404  404
inventory:item_update               item_other         get    ok   ok   ok   404  404  404  404
inventory:movement_create           item_own           get    ok   ok   ok   403  403  404  404
inventory:movement_create           item_other         get    ok   ok   ok   404  404  404  404
inventory:site_usage                site_pk_own        get    ok   ok   ok   ok   403  403  403
inventory:site_usage                site_pk_other      get    ok   ok   ok   404  404  404  404
inventory:site_count                site_pk_own        get    ok   ok   ok   ok   403  403  403
inventory:site_count                site_pk_other      get    ok   ok   ok   404  404  404  404

inspections:inspection_list         -                  get    ok   ok   ok   ok   ok   ok   ok
inspections:inspection_create       -                  get    ok   ok   403  ok   ok   403  403
inspections:visit_options           -                  get    ok   ok   403  ok   ok   403  403
inspections:inspection_detail       inspection_own     get    ok   ok   ok   ok   ok   ok   404
inspections:inspection_detail       inspection_by_tech get    ok   ok   ok   ok   ok   ok   404
inspections:inspection_detail       inspection_other   get    ok   ok   ok   404  404  404  404
inspections:inspection_update       inspection_own     get    ok   ok   403  403  ok   403  403
inspections:inspection_update       inspection_by_tech get    ok   ok   403  ok   ok   403  403
inspections:inspection_update       inspection_other   get    ok   ok   403  404  404  403  403
inspections:inspection_resolve      inspection_own     post   ok   ok   ok   403  403  403  403
inspections:inspection_resolve      inspection_other   post   ok   ok   ok   403  403  403  403
inspections:photo                   photo_own          get    ok   ok   ok   ok   ok   ok   404
inspections:photo                   photo_other        get    ok   ok   ok   404  404  404  404

portal:dashboard                    -                  get    ok   ok   ok   ok   ok   ok   ok
api:token_list                      -                  get    ok   ok   ok   ok   ok   ok   ok
api:webhook_list                    -                  get    ok   ok   ok   403  403  403  403
api:webhook_create                  -                  get    ok   ok   ok   403  403  403  403
api:webhook_detail                  webhook_own        get    ok   ok   ok   403  403  403  403
api:webhook_update                  webhook_own        get    ok   ok   ok   403  403  403  403
api:webhook_pause                   webhook_own        post   ok   ok   ok   403  403  403  403
api:webhook_resume                  webhook_own        post   ok   ok   ok   403  403  403  403
api:webhook_delete                  webhook_own        post   ok   ok   ok   403  403  403  403
"""

# Named routes that are not in the table, each with the reason.
NOT_IN_MATRIX = {
    "healthz": "public by design (load balancers); tests/janitorial_crm/test_security.py",
    "login": "public; tests/janitorial_crm/test_auth.py",
    "logout": "POST-only for everyone logged in; test_auth.py",
    "signup": "public; test_auth.py",
    "waiting": "the page role-less accounts are sent to; test_auth.py",
    "password_change": "any logged-in user, own account; test_auth.py",
    "password_change_done": "any logged-in user; test_auth.py",
    "password_reset": "public; test_auth.py",
    "password_reset_done": "public; test_auth.py",
    "password_reset_confirm": "public, token-checked; test_auth.py",
    "password_reset_complete": "public; test_auth.py",
    "scheduling:calendar_feed_ics": "token URL, no login; tests/scheduling/test_calendar_feed.py",
    "api:token_revoke": "own tokens only, 404 for anyone else's; tests/api/test_tokens.py",
    "api:me": "API door (401 without credentials, not the login page); tests/api/test_tokens.py",
    "api:schema": "public OpenAPI document; tests/api/test_schema.py",
    "api:docs": "public API documentation page; tests/api/test_schema.py",
}


def parse(table):
    cases = []
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        route, obj, method, *outcomes = line.split()
        assert len(outcomes) == len(COLUMNS), line
        for role, expected in zip(COLUMNS, outcomes, strict=True):
            cases.append((route, obj, method, role, expected))
        cases.append((route, obj, method, "anonymous", "login"))
        cases.append((route, obj, method, "waiting", "waiting"))
    return cases


CASES = parse(MATRIX)


def url_for(route, obj, world):
    if obj == "-":
        return reverse(route)
    kind, _, which = obj.rpartition("_")
    if kind == "site":
        return reverse(route, kwargs={"code": world[obj].site_code})
    if kind == "site_pk":
        return reverse(route, kwargs={"pk": world[f"site_{which}"].pk})
    if kind == "membership":
        membership = world[obj]
        return reverse(route, kwargs={"code": membership.site.site_code, "pk": membership.pk})
    if kind == "photo":
        return reverse(route, kwargs={"pk": world[obj].pk, "variant": "thumb"})
    return reverse(route, kwargs={"pk": world[obj].pk})


def outcome(response):
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303):
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/accounts/waiting/"):
            return "waiting"
        return "ok"
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    assert response.status_code < 500, response.status_code
    return "ok"


@pytest.mark.parametrize(
    ("route", "obj", "method", "role", "expected"),
    CASES,
    ids=[f"{r}[{o}]-{m}-{role}" for r, o, m, role, _ in CASES],
)
def test_access_matrix(db, client, world, route, obj, method, role, expected):
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = url_for(route, obj, world)
    response = getattr(client, method)(url)
    assert outcome(response) == expected


def named_routes():
    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}"

    return set(walk(get_resolver().url_patterns))


def test_every_named_route_is_in_the_matrix_or_explained():
    covered = {case[0] for case in CASES} | set(NOT_IN_MATRIX)
    assert named_routes() - covered == set()


def test_the_matrix_names_only_routes_that_exist():
    assert {case[0] for case in CASES} - named_routes() == set()


def test_the_matrix_covers_every_role():
    assert {case[3] for case in CASES} == set(ROLES)


# -- Django admin: the same rules for the same objects ----------------------------------------
ADMIN_MODELS = {
    # model label: object used for the change page
    "sites.clientsite": "site_own",
    "sites.sitemembership": "membership_own",
    "scheduling.cleaningschedule": "visit_own",
    "scheduling.visitseries": None,
    "inventory.supplyinventory": "item_own",
    "inventory.stockmovement": None,
    "inspections.siteinspectionlog": "inspection_own",
    "janitorial_crm.user": None,
    "api.webhookendpoint": "webhook_own",
    "api.webhookdelivery": None,
}
# Only staff roles enter admin; everyone else is sent to the admin login page.
ADMIN_EXPECTED = {
    "admin": "ok",
    "supervisor": "ok",
    "coordinator": "login",
    "technician": "login",
    "inspector": "login",
    "client": "login",
    "client_nogrant": "login",
    "anonymous": "login",
    "waiting": "login",
}
ADMIN_CASES = [
    (label, page, role)
    for label in ADMIN_MODELS
    for page in ("changelist", "change")
    for role in ADMIN_EXPECTED
    if page == "changelist" or ADMIN_MODELS[label]
]


@pytest.mark.parametrize(("label", "page", "role"), ADMIN_CASES)
def test_admin_matrix(db, client, world, label, page, role):
    app, model = label.split(".")
    if role != "anonymous":
        client.force_login(world["users"][role])
    if page == "changelist":
        url = reverse(f"admin:{app}_{model}_changelist")
    else:
        url = reverse(f"admin:{app}_{model}_change", args=[world[ADMIN_MODELS[label]].pk])
    response = client.get(url)
    expected = ADMIN_EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"] or response["Location"].startswith(
            "/accounts/"
        )
    else:
        assert response.status_code == 200
