"""The junk sweep: every route × every role × classes of bad input; no 500, no refused change.

Every URL pattern of the URLconf (the portal's and Django admin's, walked recursively) is
requested as each role of the cast and as an anonymous visitor, with its path filled with the
cast's own objects and with junk ids. The sweep reads what the page asks for (the `<input>`,
`<select>` and `<textarea>` names it renders, the `?…` filter links) plus the query parameters
views read unrendered (`page`, `q`, `next`, `week`, `site`, …), then sends classes of junk
(tests/security/junk.py): to GET parameters one at a time, and as the rendered form with one
field replaced at a time for POST. A probe fails on a server error, or when the domain tables
changed although the request was refused (4xx, the form shown again, a login redirect) or was
a GET. Probes are sampled per route and role with a fixed seed: every run sends the same.

How a new door joins (the REST API under /api/v1/, GraphQL, …):
  1. Route it in the URLconf: the sweep finds every pattern by itself.
  2. If its path has a parameter no rule fills, `test_every_route_is_swept_or_skipped_with_a_
     reason` fails: add a rule to `FILLERS` in tests/security/routes.py (the world's objects
     are in tests/security/conftest.py). A route that cannot be exercised at all goes to
     `SKIPPED` there, with the reason.
  3. Query parameters it reads without rendering a field for them go to `KNOWN_PARAMETERS` in
     tests/security/junk.py; a query string it needs before junk reaches its logic goes to
     `BASE_QUERY` in tests/security/sweep.py. Form-encoded POSTs reach a DRF view through its
     default parsers, so its writes are probed like the portal's.
  4. New tables of company data are snapshotted when their app is in `DOMAIN_APPS`
     (tests/security/state.py).

Widen it locally with JUNK_SWEEP_SAMPLE (probes per method per case) and JUNK_SWEEP_SEED; CI
runs the defaults below: about 5,500 requests over 1,008 cases.
"""

import os
import random

import pytest

from tests.security.junk import read_page, same_path
from tests.security.routes import ROUTES, SKIPPED, discover, filler, parameters_of, real_values
from tests.security.sweep import Sweep, forms_by_route

SEED = int(os.environ.get("JUNK_SWEEP_SEED", "20261130"))
# Junk probes per route, role and method (GET parameters, POST fields); the page itself, each
# junk id in the path (GET and POST) and the form readers' pages come on top.
SAMPLE = int(os.environ.get("JUNK_SWEEP_SAMPLE", "3"))
# …and where the route turns the role away before any view logic (login redirect, 403, 404).
GATED_SAMPLE = int(os.environ.get("JUNK_SWEEP_GATED_SAMPLE", "1"))
ROLES = ["anonymous", "admin", "supervisor", "coordinator", "technician", "inspector", "client"]

CASES = [(route, role) for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(
    ("route", "role"), CASES, ids=[f"{route.name}-{role}" for route, role in CASES]
)
def test_junk_never_breaks_a_route_nor_changes_anything_it_refuses(db, client, world, route, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    sweep = Sweep(client, route, world, random.Random(f"{SEED}/{route.pattern}/{role}"))
    sweep.run(gets=SAMPLE, posts=SAMPLE, gated=GATED_SAMPLE, forms=forms_by_route(world))
    report(sweep, role)
    assert not sweep.failures, "\n".join(map(str, sweep.failures))


def report(sweep, role):
    """With JUNK_SWEEP_LOG=<file>, every case appends what it found, accepted and sent."""
    if path := os.environ.get("JUNK_SWEEP_LOG"):
        with open(path, "a", encoding="utf-8") as log:
            prefix = f"{sweep.route.name} as {role}"
            for kind, probes in (("FAIL", sweep.failures), ("ACCEPTED", sweep.accepted)):
                log.writelines(f"{kind} {prefix}: {probe}\n" for probe in probes)
            log.write(f"SENT {prefix}: {sweep.sent}\n")


def test_every_route_is_swept_or_skipped_with_a_reason(db, world):
    unfilled = [
        f"{route.name}: <{name}>"
        for route in ROUTES
        for name in parameters_of(route)
        if filler(route, name) is None
    ]
    assert unfilled == [], "add a rule to FILLERS in tests/security/routes.py"
    unroutable = [route.name for route in ROUTES if route.url(**real_values(route, world)) is None]
    assert unroutable == []
    assert set(SKIPPED) <= {route.name for route in discover()}
    assert all(SKIPPED.values())


def test_the_sweep_reads_the_fields_a_page_renders(db, client, world):
    visit = world["visit_own"]
    client.force_login(world["users"]["coordinator"])
    path = f"/visits/{visit.pk}/edit/"
    page = read_page(client.get(path).content.decode())
    (form,) = [
        form for form in page.forms if form.method == "post" and same_path(form.action, path)
    ]
    assert {"service_date", "start_time", "end_time", "notes"} <= set(form.names)
    assert form.data["service_date"] == [visit.service_date.isoformat()]


def test_a_post_only_route_is_sent_the_form_its_button_renders(db, world):
    forms = forms_by_route(world)
    assert "visits/<int:pk>/start/" in forms
    assert "note" in forms["visits/<int:pk>/note/"][0].names
