"""The sweep of one route as one role: find what the route reads, send junk, judge each answer.

A probe is one request with one parameter or field replaced by one class of junk. It fails when
the answer is a server error, or when the domain tables changed although the request was refused
(a 4xx, a form shown again, a redirect to a login page) or was a GET. A POST that is accepted (a
redirect after a change) is legitimate for most junk (Arabic text is a fine note) and is kept in
`accepted`, not failed.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404

from tests.security import state
from tests.security.junk import JUNK, KNOWN_PARAMETERS, read_page, same_path
from tests.security.routes import ROUTES, junk_urls, real_values

# Query strings some routes need before junk in one parameter reaches their logic.
BASE_QUERY = {
    "admin:autocomplete": {
        "app_label": "scheduling",
        "model_name": "cleaningschedule",
        "field_name": "site",
        "term": "",
    },
}
LOGIN_PAGES = ("/accounts/login/", "/accounts/waiting/", "/admin/login/")
# Roles whose pages are read for the forms of POST-only routes (buttons on detail pages).
FORM_READERS = ("admin", "technician")


@dataclass
class Probe:
    method: str
    path: str
    parameter: str
    junk: str
    outcome: str = ""

    def __str__(self):
        where = self.path if len(self.path) < 80 else self.path[:77] + "..."
        return f"{self.method} {where} {self.parameter}={self.junk!r}: {self.outcome}"


API_PREFIX = "/api/v1/"


@dataclass
class Sweep:
    client: Client
    route: object
    world: dict
    rng: object
    failures: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    sent: int = 0

    def send(self, probe, data):
        """One request in its own savepoint, judged by its answer and what it changed."""
        self.sent += 1
        method = getattr(self.client, probe.method.lower())
        try:
            with transaction.atomic():
                before = state.snapshot()
                response = method(probe.path, data)
                try:
                    after = state.snapshot()
                except DatabaseError as error:
                    probe.outcome = f"left the transaction broken: {_one_line(error)}"
                    self.failures.append(probe)
                    raise _Undo from error
        except _Undo:
            return None
        except Exception as error:  # noqa: BLE001 - any exception out of a view is the finding
            probe.outcome = f"500 {type(error).__name__}: {_one_line(error)}"
            self.failures.append(probe)
            return None
        status = response.status_code
        if status >= 500:
            probe.outcome = f"{status}"
            self.failures.append(probe)
            return response
        changed = state.changed_tables(before, after)
        if changed:
            location = response.get("Location", "")
            # A page accepts a POST with a redirect; the API answers 2xx with the object.
            accepted = probe.method == "POST" and (
                (300 <= status < 400 and not urlsplit(location).path.startswith(LOGIN_PAGES))
                or (200 <= status < 300 and probe.path.startswith(API_PREFIX))
            )
            probe.outcome = f"{status} and changed {', '.join(changed)}"
            (self.accepted if accepted else self.failures).append(probe)
        return response

    def run(self, *, gets, posts, gated, forms):
        """`gets`/`posts` junk probes where the route lets the role in (its page answers 200, or
        405 for a POST-only route); `gated` of each where it turns the role away (a login
        redirect, a 403, a 404): there junk only meets the gate, which still must hold."""
        route, world = self.route, self.world
        path = route.url(**real_values(route, world))
        base_query = BASE_QUERY.get(route.name, {})
        page = self.send(Probe("GET", path, "-", "nothing"), base_query)
        if page is not None and page.status_code in (301, 302) and _same_route(page, route):
            path = urlsplit(page["Location"]).path  # e.g. the reset link's set-password page
            page = self.send(Probe("GET", path, "-", "nothing"), base_query)
        query_names, own_forms = list(KNOWN_PARAMETERS), []
        for name in base_query:
            _add(query_names, name)
        if page is not None and page.status_code == 200 and _is_html(page):
            reader = read_page(page.content.decode())
            for name in reader.link_parameters:
                _add(query_names, name)
            for form in reader.forms:
                if form.method == "get":
                    for name in form.names:
                        _add(query_names, name)
                elif same_path(form.action, path):
                    own_forms.append(form)
        post_forms = own_forms or forms.get(route.pattern, [])
        path_junk = junk_urls(route, world)
        if page is None or page.status_code not in (200, 405):
            gets, posts = min(gets, gated), min(posts, gated)
            path_junk = self.rng.sample(path_junk, min(len(path_junk), 1))
        if page is not None and page.status_code == 405:
            gets = 0  # a POST-only route answers every GET the same way

        for name, junk in self.sample(query_names, gets):
            self.send(Probe("GET", path, name, junk), {**base_query, name: JUNK[junk]})
        # A rendered form's own fields, plus `next` (actions redirect by it); a route with no
        # rendered fields gets the known parameters as form fields.
        fields = [
            (form, name)
            for form in post_forms
            for name in [*form.names, "next"]
            if name != "csrfmiddlewaretoken"
        ]
        if len(fields) <= len(post_forms):
            base = post_forms[0] if post_forms else None
            fields = [(base, name) for name in query_names]
        for (form, name), junk in self.sample(fields, posts):
            data = {**(form.data if form else {}), name: JUNK[junk]}
            self.send(Probe("POST", path, name, junk), data)

        # Every junk id with a GET; one of them, drawn, also with the rendered form POSTed.
        base_post = post_forms[0].data if post_forms else {}
        for name, junk, junk_path in path_junk:
            self.send(Probe("GET", junk_path, name, junk), base_query)
        for name, junk, junk_path in self.rng.sample(path_junk, min(len(path_junk), 1)):
            self.send(Probe("POST", junk_path, name, junk), base_post)

    def sample(self, names, size):
        """`size` (name, junk class) pairs: the classes in a shuffled cycle, so that a route's
        probes spread over as many classes as the sample allows; names drawn at random."""
        if not names:
            return []
        classes = list(JUNK)
        self.rng.shuffle(classes)
        return [(self.rng.choice(names), classes[index % len(classes)]) for index in range(size)]


class _Undo(Exception):
    """Rolls the probe's savepoint back after a finding that broke the transaction."""


def forms_by_route(world):
    """The POST forms the cast's portal pages render, by the route they post to: a POST-only
    route (a "Start" button) gets its fields from the page that shows its form. Read once per
    world (per xdist worker) as `FORM_READERS`, in URLconf order, so every run sends the same."""
    if "_forms" not in world:
        found = {}
        for role in FORM_READERS:
            reader_client = Client(raise_request_exception=False)
            reader_client.force_login(world["users"][role])
            for route in ROUTES:
                if route.pattern.startswith("admin/"):
                    continue  # admin pages post to themselves; their own page is read
                with transaction.atomic():
                    response = reader_client.get(route.url(**real_values(route, world)))
                if response.status_code != 200 or not _is_html(response):
                    continue  # the route's own sweep reports a page that fails here
                for form in read_page(response.content.decode()).forms:
                    target = _route_of(form.action)
                    known = found.setdefault(target, []) if target else []
                    if form.method == "post" and form.names not in [f.names for f in known]:
                        known.append(form)
        world["_forms"] = {target: forms for target, forms in found.items() if forms}
    return world["_forms"]


def _route_of(action):
    try:
        return resolve(urlsplit(action).path).route if action else None
    except Resolver404:
        return None


def _same_route(response, route):
    return _route_of(response["Location"]) == route.pattern


def _is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def _add(names, name):
    if name not in names:
        names.append(name)


def _one_line(error):
    text = " ".join(str(error).split())
    return text if len(text) <= 160 else text[:157] + "..."
