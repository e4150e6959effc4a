"""The access matrix: every route of every door × every role × own / colleague's / other object.

This is the one place that says who may reach what. Behaviour tests next to each app check what
a page does once the gate has let the user in; they do not repeat the table.

How to read (and add) a row
---------------------------
The table is `MATRIX` below, split into sections, one per door: `[html]` for the portal's pages,
`[admin]` for Django admin. Inside a section, one row is one request::

    route                   object      method  adm  sup  coo  tech insp clnt nogrant
    inspections:photo       photo_own   get     ok   ok   ok   ok   ok   ok   404

- route: what the door calls a route; for `[html]` and `[admin]` the URL name, namespace
  included (`inspections:photo`, `admin:sites_clientsite_change`).
- object: the world object the request is about, named `<kind>_<whose>`, or `-` for none. The
  world (tests/access/conftest.py) holds for most kinds `_own` (at the cast's site; a visit of
  the cast's technician, an inspection by the cast's inspector), `_colleague` (at the cast's
  site, another person's) and `_other` (at a site nobody of the cast is assigned to). Specials:
  `inspection_by_tech`, `visit_series_own`, `site_pk_*` (a site by pk rather than code),
  `membership_inspector` / `membership_client` (the member's own), `*_missing` (a key that does
  not exist), `membership_crossed` (another site's membership asked for through the own
  site's URL), and for admin `user_technician`, `group_technician`, `feed_token_technician`,
  `series_own`, `movement_own`, `axes_*`.
- method: the HTTP method. A POST sends `PAYLOADS[route]` (built from the world) or nothing.
- then one outcome per role column: admin, supervisor, coordinator, technician, inspector, a
  client who holds the inspection grant and one who does not. Anonymous users and accounts
  without a role have no column: their outcome is the door's `implied` (tests/access/doors.py),
  the same on every row of the section (login and waiting page for both doors today).

Outcomes, as the door reads the response:

  ok       the gate lets the user through (2xx, or a redirect that is not to a login/waiting page)
  403      in scope (or no object involved) but the role may not do this
  404      outside the user's scope, or missing: nothing is revealed (admin says it by redirecting
           to its index with "doesn't exist")
  405      the method is not allowed
  login    sent to the login page
  waiting  sent to the "waiting for access" page
  none     (live stream) the stream stays silent about the object

Whatever the door, a request that is not let through writes nothing to the database.

Each row runs once per role (seven columns and two implied), so a row costs nine quick tests.
Companion tests fail when a door's route is in neither the table nor `NOT_IN_MATRIX` (with its
reason), and when a row names a route the door does not know.

Another door (REST API, GraphQL, live stream) adds a class to tests/access/doors.py (how a row
becomes a request, how a response reads as an outcome, which routes it must list), mounts its
URLs under its own namespace so the `[html]` door stops claiming them, and adds its `[section]`
here. A door whose "routes" are not URL names (GraphQL operations, stream topics) lists them
from its schema the same way.
"""

from typing import NamedTuple

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sites.models import ServiceLevel
from tests.access.conftest import ROLES
from tests.access.doors import DOORS

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
[html]
# route                             object               method adm  sup  coo  tech insp clnt nogrant
portal:site_list                     -                    get    ok   ok   ok   ok   ok   ok   ok
portal:site_export                   -                    get    ok   ok   ok   403  403  403  403
sites:site_create                   -                    get    ok   ok   ok   403  403  403  403
sites:site_create                   -                    post   ok   ok   ok   403  403  403  403
portal:site_detail                   site_own             get    ok   ok   ok   ok   ok   ok   ok
portal:site_detail                   site_other           get    ok   ok   ok   404  404  404  404
portal:site_detail                   site_missing         get    404  404  404  404  404  404  404
sites:site_update                   site_own             get    ok   ok   ok   403  403  403  403
sites:site_update                   site_own             post   ok   ok   ok   403  403  403  403
sites:site_update                   site_other           get    ok   ok   ok   404  404  404  404
sites:site_update                   site_other           post   ok   ok   ok   404  404  404  404
sites:site_deactivate               site_own             post   ok   ok   ok   403  403  403  403
sites:site_deactivate               site_other           post   ok   ok   ok   404  404  404  404
sites:site_reactivate               site_own             post   ok   ok   ok   403  403  403  403
sites:site_reactivate               site_other           post   ok   ok   ok   404  404  404  404
sites:site_delete                   site_own             post   ok   ok   403  403  403  403  403
sites:site_delete                   site_other           post   ok   ok   403  404  404  404  404
portal:site_report                   site_own             get    ok   ok   ok   ok   ok   ok   ok
portal:site_report                   site_other           get    ok   ok   ok   404  404  404  404
sites:membership_create             site_own             post   ok   ok   ok   403  403  403  403
sites:membership_create             site_other           post   ok   ok   ok   404  404  404  404
sites:membership_delete             membership_own       post   ok   ok   ok   403  403  403  403
sites:membership_delete             membership_inspector post   ok   ok   ok   403  403  403  403
sites:membership_delete             membership_client    post   ok   ok   ok   403  403  403  403
sites:membership_delete             membership_other     post   ok   ok   ok   404  404  404  404
sites:membership_delete             membership_crossed   post   404  404  404  404  404  404  404
sites:membership_grant              membership_own       post   ok   ok   ok   403  403  403  403
sites:membership_grant              membership_inspector post   ok   ok   ok   403  403  403  403
sites:membership_grant              membership_client    post   ok   ok   ok   403  403  403  403
sites:membership_grant              membership_other     post   ok   ok   ok   404  404  404  404
sites:membership_grant              membership_crossed   post   404  404  404  404  404  404  404

scheduling:visit_list               -                    get    ok   ok   ok   ok   ok   403  403
scheduling:visit_create             -                    get    ok   ok   ok   403  403  403  403
scheduling:board                    -                    get    ok   ok   ok   403  403  403  403
scheduling:my_day                   -                    get    ok   ok   ok   ok   403  403  403
scheduling:visit_detail             visit_own            get    ok   ok   ok   ok   ok   403  403
scheduling:visit_detail             visit_colleague      get    ok   ok   ok   404  ok   403  403
scheduling:visit_detail             visit_other          get    ok   ok   ok   404  404  403  403
scheduling:visit_detail             visit_missing        get    404  404  404  404  404  403  403
scheduling:visit_update             visit_own            get    ok   ok   ok   403  403  403  403
scheduling:visit_update             visit_other          get    ok   ok   ok   403  403  403  403
scheduling:visit_update_following   visit_series_own     get    ok   ok   ok   403  403  403  403
scheduling:visit_move               visit_own            get    ok   ok   ok   403  403  403  403
scheduling:visit_move               visit_own            post   ok   ok   ok   403  403  403  403
scheduling:visit_cancel             visit_own            post   ok   ok   ok   403  403  403  403
scheduling:visit_status             visit_own            post   ok   ok   ok   403  403  403  403
scheduling:visit_start              visit_own            post   ok   ok   ok   ok   403  403  403
scheduling:visit_start              visit_colleague      post   ok   ok   ok   404  403  403  403
scheduling:visit_start              visit_other          post   ok   ok   ok   404  403  403  403
scheduling:visit_complete           visit_own            post   ok   ok   ok   ok   403  403  403
scheduling:visit_complete           visit_colleague      post   ok   ok   ok   404  403  403  403
scheduling:visit_complete           visit_other          post   ok   ok   ok   404  403  403  403
scheduling:visit_note               visit_own            post   ok   ok   ok   ok   403  403  403
scheduling:visit_note               visit_other          post   ok   ok   ok   404  403  403  403
scheduling:calendar_feed            -                    get    ok   ok   ok   ok   403  403  403
scheduling:calendar_feed_regenerate -                    post   ok   ok   ok   ok   403  403  403
scheduling:calendar_feed_revoke     -                    post   ok   ok   ok   ok   403  403  403

inventory:item_list                 -                    get    ok   ok   ok   ok   ok   403  403
inventory:item_export               -                    get    ok   ok   ok   ok   ok   403  403
inventory:low_stock                 -                    get    ok   ok   ok   ok   ok   403  403
inventory:item_create               -                    get    ok   ok   ok   403  403  403  403
inventory:item_detail               item_own             get    ok   ok   ok   ok   ok   403  403
inventory:item_detail               item_other           get    ok   ok   ok   404  404  403  403
inventory:item_update               item_own             get    ok   ok   ok   403  403  403  403
inventory:item_update               item_other           get    ok   ok   ok   404  404  403  403
inventory:movement_create           item_own             get    ok   ok   ok   403  403  403  403
inventory:movement_create           item_other           get    ok   ok   ok   404  404  403  403
inventory:site_usage                site_pk_own          get    ok   ok   ok   ok   403  403  403
inventory:site_usage                site_pk_other        get    ok   ok   ok   404  404  404  404
inventory:site_count                site_pk_own          get    ok   ok   ok   ok   403  403  403
inventory:site_count                site_pk_other        get    ok   ok   ok   404  404  404  404

inspections:inspection_list         -                    get    ok   ok   ok   ok   ok   ok   ok
inspections:inspection_create       -                    get    ok   ok   403  ok   ok   403  403
inspections:visit_options           -                    get    ok   ok   403  ok   ok   403  403
inspections:inspection_detail       inspection_own       get    ok   ok   ok   ok   ok   ok   404
inspections:inspection_detail       inspection_colleague get    ok   ok   ok   ok   ok   ok   404
inspections:inspection_detail       inspection_by_tech   get    ok   ok   ok   ok   ok   ok   404
inspections:inspection_detail       inspection_other     get    ok   ok   ok   404  404  404  404
inspections:inspection_update       inspection_own       get    ok   ok   403  403  ok   403  403
inspections:inspection_update       inspection_colleague get    ok   ok   403  403  ok   403  403
inspections:inspection_update       inspection_by_tech   get    ok   ok   403  ok   ok   403  403
inspections:inspection_update       inspection_other     get    ok   ok   403  404  404  403  403
inspections:inspection_resolve      inspection_own       post   ok   ok   ok   403  403  403  403
inspections:inspection_resolve      inspection_colleague post   ok   ok   ok   403  403  403  403
inspections:inspection_resolve      inspection_other     post   ok   ok   ok   403  403  403  403
inspections:photo                   photo_own            get    ok   ok   ok   ok   ok   ok   404
inspections:photo                   photo_colleague      get    ok   ok   ok   ok   ok   ok   404
inspections:photo                   photo_other          get    ok   ok   ok   404  404  404  404

portal:dashboard                    -                    get    ok   ok   ok   ok   ok   ok   ok
portal:low_stock_badge              -                    get    ok   ok   ok   403  403  403  403
api:token_list                      -                    get    ok   ok   ok   ok   ok   ok   ok
api:webhook_list                    -                    get    ok   ok   ok   403  403  403  403
api:webhook_create                  -                    get    ok   ok   ok   403  403  403  403
api:webhook_detail                  webhook_own          get    ok   ok   ok   403  403  403  403
api:webhook_update                  webhook_own          get    ok   ok   ok   403  403  403  403
api:webhook_pause                   webhook_own          post   ok   ok   ok   403  403  403  403
api:webhook_resume                  webhook_own          post   ok   ok   ok   403  403  403  403
api:webhook_delete                  webhook_own          post   ok   ok   ok   403  403  403  403

pickers:sites                       -                    get    ok   ok   ok   ok   ok   ok   ok
pickers:active_sites                -                    get    ok   ok   ok   ok   ok   ok   ok
pickers:inspection_sites            -                    get    ok   ok   ok   ok   ok   ok   ok
pickers:technicians                 -                    get    ok   ok   ok   403  403  403  403
pickers:visit_technicians           -                    get    ok   ok   ok   ok   ok   403  403
pickers:inspectors                  -                    get    ok   ok   ok   ok   ok   403  403
pickers:people                      -                    get    ok   ok   ok   403  403  403  403
pickers:site_members                site_own             get    ok   ok   ok   403  403  403  403
pickers:site_members                site_other           get    ok   ok   ok   404  404  404  404
pickers:site_members                site_missing         get    404  404  404  404  404  404  404

[admin]
# route                                  object                method adm  sup  coo   tech  insp  clnt  nogrant
admin:janitorial_crm_user_changelist     -                     get    ok   ok   login login login login login
admin:janitorial_crm_user_add            -                     get    ok   403  login login login login login
admin:janitorial_crm_user_change         user_technician       get    ok   ok   login login login login login
admin:auth_group_changelist              -                     get    ok   403  login login login login login
admin:auth_group_add                     -                     get    403  403  login login login login login
admin:auth_group_change                  group_technician      get    ok   403  login login login login login
admin:axes_accessattempt_changelist      -                     get    403  403  login login login login login
admin:axes_accessattempt_add             -                     get    403  403  login login login login login
admin:axes_accessattempt_change          axes_attempt          get    403  403  login login login login login
admin:axes_accesslog_changelist          -                     get    403  403  login login login login login
admin:axes_accesslog_add                 -                     get    403  403  login login login login login
admin:axes_accesslog_change              axes_log              get    403  403  login login login login login
admin:axes_accessfailurelog_changelist   -                     get    403  403  login login login login login
admin:axes_accessfailurelog_add          -                     get    403  403  login login login login login
admin:axes_accessfailurelog_change       axes_failure          get    403  403  login login login login login
admin:sites_clientsite_changelist        -                     get    ok   ok   login login login login login
admin:sites_clientsite_add               -                     get    ok   ok   login login login login login
admin:sites_clientsite_change            site_own              get    ok   ok   login login login login login
admin:sites_sitemembership_changelist    -                     get    ok   ok   login login login login login
admin:sites_sitemembership_add           -                     get    ok   ok   login login login login login
admin:sites_sitemembership_change        membership_own        get    ok   ok   login login login login login
admin:scheduling_cleaningschedule_changelist -                 get    ok   ok   login login login login login
admin:scheduling_cleaningschedule_add    -                     get    ok   ok   login login login login login
admin:scheduling_cleaningschedule_change visit_own             get    ok   ok   login login login login login
admin:scheduling_visitseries_changelist  -                     get    ok   ok   login login login login login
admin:scheduling_visitseries_add         -                     get    ok   ok   login login login login login
admin:scheduling_visitseries_change      series_own            get    ok   ok   login login login login login
admin:scheduling_calendarfeedtoken_changelist -                get    403  403  login login login login login
admin:scheduling_calendarfeedtoken_add   -                     get    403  403  login login login login login
admin:scheduling_calendarfeedtoken_change feed_token_technician get   403  403  login login login login login
admin:inventory_supplyinventory_changelist -                   get    ok   ok   login login login login login
admin:inventory_supplyinventory_add      -                     get    ok   ok   login login login login login
admin:inventory_supplyinventory_change   item_own              get    ok   ok   login login login login login
admin:inventory_stockmovement_changelist -                     get    ok   ok   login login login login login
admin:inventory_stockmovement_add        -                     get    403  403  login login login login login
admin:inventory_stockmovement_change     movement_own          get    ok   ok   login login login login login
admin:inspections_siteinspectionlog_changelist -               get    ok   ok   login login login login login
admin:inspections_siteinspectionlog_add  -                     get    ok   ok   login login login login login
admin:inspections_siteinspectionlog_change inspection_own      get    ok   ok   login login login login login
admin:api_webhookendpoint_changelist     -                     get    ok   ok   login login login login login
admin:api_webhookendpoint_add            -                     get    ok   ok   login login login login login
admin:api_webhookendpoint_change         webhook_own           get    ok   ok   login login login login login
admin:api_webhookdelivery_changelist     -                     get    ok   ok   login login login login login
admin:api_webhookdelivery_add            -                     get    403  403  login login login login login
admin:api_webhookdelivery_change         webhook_delivery_own  get    ok   ok   login login login login login

[api]
# route                             object               method adm  sup  coo  tech insp clnt nogrant
api:v1:me                           -                    get    ok   ok   ok   ok   ok   ok   ok
api:v1:site-list                    -                    get    ok   ok   ok   ok   ok   ok   ok
api:v1:site-detail                  site_own             get    ok   ok   ok   ok   ok   ok   ok
api:v1:site-detail                  site_other           get    ok   ok   ok   404  404  404  404
api:v1:site-list                    -                    post   ok   ok   ok   403  403  403  403
api:v1:site-detail                  site_own             patch  ok   ok   ok   403  403  403  403
api:v1:site-detail                  site_other           patch  ok   ok   ok   404  404  404  404
api:v1:site-deactivate              site_own             post   ok   ok   ok   403  403  403  403
api:v1:site-reactivate              site_other           post   ok   ok   ok   404  404  404  404
api:v1:site-members                 site_own             get    ok   ok   ok   403  403  403  403
api:v1:site-members                 site_own             post   ok   ok   ok   403  403  403  403
api:v1:site-members                 site_other           post   ok   ok   ok   404  404  404  404
api:v1:site-member                  membership_own       patch  ok   ok   ok   403  403  403  403
api:v1:site-member                  membership_other     delete ok   ok   ok   404  404  404  404
api:v1:visit-list                   -                    get    ok   ok   ok   ok   ok   403  403
api:v1:visit-list                   -                    post   ok   ok   ok   403  403  403  403
api:v1:visit-detail                 visit_own            get    ok   ok   ok   ok   ok   403  403
api:v1:visit-detail                 visit_colleague      get    ok   ok   ok   404  ok   403  403
api:v1:visit-detail                 visit_other          get    ok   ok   ok   404  404  403  403
api:v1:visit-detail                 visit_missing        get    404  404  404  404  404  403  403
api:v1:visit-detail                 visit_own            patch  ok   ok   ok   403  403  403  403
api:v1:visit-detail                 visit_other          patch  ok   ok   ok   403  403  403  403
api:v1:visit-start                  visit_own            post   ok   ok   ok   ok   403  403  403
api:v1:visit-start                  visit_colleague      post   ok   ok   ok   404  403  403  403
api:v1:visit-start                  visit_other          post   ok   ok   ok   404  403  403  403
api:v1:visit-complete               visit_own            post   ok   ok   ok   ok   403  403  403
api:v1:visit-complete               visit_other          post   ok   ok   ok   404  403  403  403
api:v1:visit-cancel                 visit_own            post   ok   ok   ok   403  403  403  403
api:v1:visit-cancel                 visit_other          post   ok   ok   ok   403  403  403  403
api:v1:visit-note                   visit_own            post   ok   ok   ok   ok   403  403  403
api:v1:visit-note                   visit_colleague      post   ok   ok   ok   404  403  403  403
api:v1:series-list                  -                    get    ok   ok   ok   403  403  403  403
api:v1:series-list                  -                    post   ok   ok   ok   403  403  403  403
api:v1:series-detail                series_own           get    ok   ok   ok   403  403  403  403
api:v1:stock-item-list              -                    get    ok   ok   ok   ok   ok   403  403
api:v1:stock-item-detail            item_own             get    ok   ok   ok   ok   ok   403  403
api:v1:stock-item-detail            item_other           get    ok   ok   ok   404  404  403  403
api:v1:stock-item-movements         item_own             get    ok   ok   ok   ok   ok   403  403
api:v1:stock-item-movements         item_own             post   ok   ok   ok   ok   403  403  403
api:v1:stock-item-movements         item_other           post   ok   ok   ok   404  404  403  403
api:v1:inspection-list              -                    get    ok   ok   ok   ok   ok   ok   ok
api:v1:inspection-list              -                    post   ok   ok   403  ok   ok   403  403
api:v1:inspection-detail            inspection_own       get    ok   ok   ok   ok   ok   ok   404
api:v1:inspection-detail            inspection_other     get    ok   ok   ok   404  404  404  404
api:v1:inspection-resolve           inspection_own       post   ok   ok   ok   403  403  403  403
api:v1:inspection-resolve           inspection_other     post   ok   ok   ok   403  403  403  403
api:v1:photo-detail                 photo_own            get    ok   ok   ok   ok   ok   ok   404
api:v1:photo-detail                 photo_other          get    ok   ok   ok   404  404  404  404

[live]
# topic     object                method adm  sup  coo  tech insp clnt nogrant
visit       visit_own             hear   ok   ok   ok   ok   ok   none none
visit       visit_colleague       hear   ok   ok   ok   none ok   none none
visit       visit_other           hear   ok   ok   ok   none none none none
stock       item_own              hear   ok   ok   ok   ok   ok   none none
stock       item_other            hear   ok   ok   ok   none none none none
inspection  inspection_own        hear   ok   ok   ok   ok   ok   ok   none
inspection  inspection_colleague  hear   ok   ok   ok   ok   ok   ok   none
inspection  inspection_other      hear   ok   ok   ok   none none none none
action      inspection_own        hear   ok   ok   ok   ok   ok   ok   none
action      inspection_other      hear   ok   ok   ok   none none none none
"""  # noqa: E501

# What a POST of a row sends, by route: the form as a user would fill it in, so that a gate
# that only looks after validation is caught too.
SITE_FORM = {
    "site_code": "NEW-1",
    "site_name": "Hacked",
    "client_name": "Acme",
    "service_level": ServiceLevel.PREMIUM,
    "address": "1 Main Street",
}
PAYLOADS = {
    "sites:site_create": lambda world: SITE_FORM,
    "sites:site_update": lambda world: SITE_FORM,
    "sites:membership_create": lambda world: {"user": world["users"]["stranger"].pk},
    "sites:membership_grant": lambda world: {"can_see_inspections": "1"},
    "scheduling:visit_status": lambda world: {"status": "missed"},
    "scheduling:visit_cancel": lambda world: {"scope": "this"},
    "scheduling:visit_note": lambda world: {"note": "Hello."},
    "inspections:inspection_resolve": lambda world: {"note": "Mats replaced."},
    "api:v1:visit-list": lambda world: {
        "site": world["site_own"].pk,
        "service_date": str(world["visit_own"].service_date),
        "start_time": "01:00",
        "end_time": "02:00",
    },
    "api:v1:visit-detail": lambda world: {"notes": "Key at the desk."},
    "api:v1:site-list": lambda world: SITE_FORM,
    "api:v1:site-detail": lambda world: {"site_name": "Renamed"},
    "api:v1:site-members": lambda world: {"user": world["users"]["stranger"].pk},
    "api:v1:site-member": lambda world: {"can_see_inspections": False},
    "api:v1:visit-note": lambda world: {"note": "Hello."},
    "api:v1:series-list": lambda world: {
        "site": world["site_own"].pk,
        "frequency": "weekly",
        "first_date": str(world["visit_own"].service_date),
        "start_time": "03:00",
        "end_time": "04:00",
    },
    "api:v1:stock-item-movements": lambda world: {"kind": "usage", "quantity": "1"},
    "api:v1:inspection-list": lambda world: {"site": world["site_own"].pk, "score": 50},
    "api:v1:inspection-resolve": lambda world: {"note": "Mats replaced."},
}
WRITE_METHODS = ("post", "patch", "delete")

# Routes of a door that are not in the table, each with the reason.
NOT_IN_MATRIX = {
    "healthz": "public by design (load balancers); tests/janitorial_crm/test_security.py",
    "login": "public; tests/janitorial_crm/test_auth.py",
    "logout": "POST-only for everyone logged in; test_auth.py",
    "signup": "public; test_signup.py",
    "signup_done": "public; test_signup.py",
    "signup_confirm": "public, signed link; test_signup.py",
    "waiting": "the page role-less accounts are sent to; test_auth.py",
    "password_change": "any logged-in user, own account; test_auth.py",
    "password_change_done": "any logged-in user; test_auth.py",
    "password_reset": "public; test_auth.py",
    "password_reset_done": "public; test_auth.py",
    "password_reset_confirm": "public, token-checked; test_auth.py",
    "password_reset_complete": "public; test_auth.py",
    "scheduling:calendar_feed_ics": "token URL, no login; tests/scheduling/test_calendar_feed.py",
    "api:token_revoke": "own tokens only, 404 for anyone else's; tests/api/test_tokens.py",
}


class Case(NamedTuple):
    door: str
    route: str
    obj: str
    method: str
    role: str
    expected: str

    def __str__(self):
        return f"{self.door}:{self.route}[{self.obj}]-{self.method}-{self.role}"


def parse(table):
    cases, door = [], None
    for number, line in enumerate(table.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            door = line.strip("[]")
            assert door in DOORS, f"line {number}: no door called {door!r} in doors.py"
            continue
        assert door, f"line {number}: a row before the first [door] section"
        route, obj, method, *outcomes = line.split()
        assert len(outcomes) == len(COLUMNS), f"line {number}: one outcome per role: {line}"
        implied = DOORS[door].implied.items()
        for role, expected in [*zip(COLUMNS, outcomes, strict=True), *implied]:
            cases.append(Case(door, route, obj, method, role, expected))
    return cases


CASES = parse(MATRIX)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_access_matrix(db, client, world, case):
    door = DOORS[case.door]
    if case.role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][case.role]
    payload = PAYLOADS.get(case.route) if case.method in WRITE_METHODS else None
    data = payload(world) if payload else {}

    with CaptureQueriesContext(connection) as queries:
        response = door.request(client, case.route, case.obj, world, case.method, data)

    assert door.outcome(response) == case.expected
    if case.expected != "ok":
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], "a refused request wrote to the database"


def listed(door):
    return {case.route for case in CASES if case.door == door}


@pytest.mark.parametrize("door", DOORS)
def test_every_route_of_a_door_is_in_the_matrix_or_explained(door):
    assert DOORS[door].routes() - listed(door) - set(NOT_IN_MATRIX) == set()


@pytest.mark.parametrize("door", DOORS)
def test_the_matrix_names_only_routes_that_exist(door):
    assert listed(door) - DOORS[door].known() == set()


def test_the_matrix_covers_every_role_at_every_door():
    for door in DOORS:
        assert {case.role for case in CASES if case.door == door} == set(ROLES), door


def test_every_payload_belongs_to_a_write_row():
    assert set(PAYLOADS) <= {case.route for case in CASES if case.method in WRITE_METHODS}
