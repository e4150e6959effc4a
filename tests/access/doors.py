"""The doors of the access matrix: how a row of the table becomes a request, how the response
reads as an outcome, and which routes of the door the table must list.

A door is one way into the application with its own URLs and its own way of saying "no": the
portal's HTML pages, Django admin, and later the REST API, GraphQL and the live stream. To add
one, write a class like the two below (name, namespaces, implied, request, outcome, routes,
known), mount its URLs under a namespace of its own (listed in `namespaces`, so the HTML door
stops claiming them), register an instance in `DOORS` and give it a `[name]` section in the
table.
"""

import asyncio

from asgiref.sync import async_to_sync
from django.contrib import admin
from django.test import AsyncClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def named_routes(patterns=None, namespace=""):
    """Every named URL of the project as "namespace:name" (nested namespaces joined by ':')."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def redirect_target(response):
    if response.status_code in (301, 302, 303):
        return response["Location"]
    return None


def read(response, *, login=("/accounts/login/",)):
    """The outcome of a page: login, waiting, 403/404/405, or ok (any other answer below 400)."""
    location = redirect_target(response)
    if location is not None:
        if location.startswith(login):
            return "login"
        if location.startswith("/accounts/waiting/"):
            return "waiting"
        return "ok"
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    assert response.status_code < 400, response.status_code
    return "ok"


class HtmlDoor:
    """The portal's pages: the test client, URL names and the objects of the world."""

    name = "html"
    namespaces = ()  # everything no other door claims
    # The outcome of the two roles that have no column: they are the same on every page.
    implied = {"anonymous": "login", "waiting": "waiting"}

    def request(self, client, route, obj, world, method, data):
        url = reverse(route, kwargs=url_kwargs(obj, world))
        return client.post(url, data) if method == "post" else getattr(client, method)(url)

    def outcome(self, response):
        return read(response)

    def routes(self):
        """The routes the table must list: every named URL outside another door's namespace."""
        claimed = tuple(f"{ns}:" for door in DOORS.values() for ns in door.namespaces)
        return {route for route in named_routes() if not route.startswith(claimed)}

    known = routes


def url_kwargs(obj, world):
    """The URL arguments for the object named `obj`: its kind is the name without the last
    word (`site_own` → site, `site_pk_own` → site_pk)."""
    if obj == "-":
        return {}
    kind, _, which = obj.rpartition("_")
    target = world[obj] if kind != "site_pk" else world[f"site_{which}"]
    if kind == "site":
        return {"code": target.site_code}
    if kind == "membership":
        return {"code": target.site.site_code, "pk": target.pk}
    if kind == "photo":
        return {"pk": target.pk, "variant": "thumb"}
    return {"pk": target.pk}


class AdminDoor:
    """Django admin: only staff enter; other roles are sent to the admin's login page, accounts
    without a role to the waiting page. An object outside the user's scope answers like a
    missing one: a redirect to the admin index ("…doesn't exist. Perhaps it was deleted?"),
    which this door reads as 404."""

    name = "admin"
    namespaces = ("admin",)
    implied = {"anonymous": "login", "waiting": "waiting"}
    PAGES = ("changelist", "add", "change")

    def request(self, client, route, obj, world, method, data):
        url = reverse(route, args=[] if obj == "-" else [world[obj].pk])
        return client.post(url, data) if method == "post" else getattr(client, method)(url)

    def outcome(self, response):
        if redirect_target(response) == reverse("admin:index"):
            return "404"
        return read(response, login=("/admin/login/", "/accounts/login/"))

    def routes(self):
        """The changelist, add and change pages of every model registered in admin."""
        return {
            f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
            for model in admin.site._registry
            for page in self.PAGES
        }

    def known(self):
        return {route for route in named_routes() if route.startswith("admin:")}


class ApiDoor:
    """The REST API (/api/v1/, namespace `api:v1`). The matrix signs in with the role's browser
    session (a token is the same user; tests/api/ covers tokens themselves): a request without
    credentials is a 401 and an account without a role a 403, in the API's error format,
    never a redirect. A 400 (the gate let the request in; the data was refused) reads as ok."""

    name = "api"
    namespaces = ("api:v1",)
    implied = {"anonymous": "401", "waiting": "403"}
    # Documentation routes: public, no object, no data (tests/api/test_schema.py).
    PUBLIC = frozenset({"api:v1:schema", "api:v1:docs"})

    def request(self, client, route, obj, world, method, data):
        url = reverse(route, kwargs=self.url_kwargs(obj, world))
        if method in ("post", "patch", "delete"):
            return getattr(client, method)(url, data, content_type="application/json")
        return getattr(client, method)(url)

    def url_kwargs(self, obj, world):
        if obj == "-":
            return {}
        target = world[obj]
        if obj.startswith("membership_"):  # a member, under its site
            return {"pk": target.site.pk, "membership_id": target.pk}
        return {"pk": target.pk}

    def outcome(self, response):
        assert not redirect_target(response), response["Location"]
        if response.status_code in (401, 403, 404, 405):
            return str(response.status_code)
        assert response.status_code < 500, response.status_code
        return "ok"

    def routes(self):
        return {route for route in named_routes() if route.startswith("api:v1:")} - self.PUBLIC

    def known(self):
        return {route for route in named_routes() if route.startswith("api:v1:")}


class LiveDoor:
    """The live stream (/live/, namespace `live`). Its "routes" are the stream's event types and
    its one method is `hear`: the role opens a stream for that type with its browser session,
    an event about the row's object is published, and the outcome is `ok` if the stream
    delivers it and `none` if it stays silent (a `paused` notice sent to every stream after
    the event marks the point where it would have arrived). A request without credentials is a
    401 and an account without a role a 403; the stream never redirects."""

    name = "live"
    namespaces = ("live",)
    implied = {"anonymous": "401", "waiting": "403"}

    def request(self, client, route, obj, world, method, data):
        assert method == "hear", method
        return async_to_sync(self._hear)(client.cookies, route, world[obj])

    async def _hear(self, cookies, topic, target):
        from live.broker import Message, get_broker
        from live.hub import Hub

        stream = AsyncClient()
        stream.cookies = cookies
        response = await stream.get(reverse("live:stream"), {"types": topic})
        if response.status_code != 200:
            return str(response.status_code)
        content = response.streaming_content
        try:
            await anext(content)  # "retry:": the stream has joined its hub
            event = Message(topic, target.pk, target.site_id, {"id": target.pk, "change": "test"})
            get_broker().publish(event)
            await asyncio.sleep(0)  # the broker hands it over with call_soon_threadsafe
            for hub in list(Hub._hubs.values()):
                while hub.pending:
                    await asyncio.sleep(0.005)
                hub.set_paused(True)
                hub.set_paused(False)
            text = ""
            while "event: paused" not in text:
                chunk = await asyncio.wait_for(anext(content), 5)
                text += chunk.decode()
        finally:
            await content.aclose()
        return "ok" if f"event: {topic}\n" in text else "none"

    def outcome(self, response):
        return response

    def routes(self):
        from live.scope import TYPES

        return set(TYPES)

    known = routes


DOORS = {door.name: door for door in (HtmlDoor(), AdminDoor(), ApiDoor(), LiveDoor())}
