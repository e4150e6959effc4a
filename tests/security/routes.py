"""Every route of the URLconf, and the real objects that fill its path.

Routes come from `get_resolver().url_patterns`, walked recursively (Django admin's included),
so a new app, admin model or door (`/api/v1/`) is swept as soon as it is routed. Its path
parameters are filled by the first rule of `FILLERS` that matches the route's name (or, for
unnamed patterns, its pattern) and the parameter; a route with a parameter no rule fills makes
`test_every_route_is_swept_or_skipped_with_a_reason` fail until a rule is added here.
"""

import fnmatch
import re
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.security.junk import JUNK_IDS

# Routes the sweep cannot exercise, each with the reason. Static files and media are not in
# the URLconf at all (whitenoise serves the former; the latter is never routed: photos go
# through the permission-checked photo view, which is swept).
SKIPPED = {
    "logout": "ends the session the sweep runs in; covered by the auth tests",
    "admin:logout": "ends the session the sweep runs in; covered by the auth tests",
    "live:stream": "an async stream (the sweep's WSGI client gets 503); its bad filters and ids "
    "are tested in tests/live/test_stream.py and test_delivery.py",
}


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, as Django's ResolverMatch.route spells it
    name: str  # "namespace:name", or the pattern for unnamed ones (admin's redirects)
    callback: object

    def matches(self, glob):
        return fnmatch.fnmatchcase(self.name, glob) or fnmatch.fnmatchcase(self.pattern, glob)

    def url(self, **values):
        """The path for these parameter values, or None if the URLconf would not route it here
        (a value the converter refuses)."""
        path = _PARAMETER.sub(lambda match: str(values[_name_of(match)]), self.pattern)
        path = "/" + path.removesuffix("$").replace("\\.", ".")
        try:
            match = resolve(path)
        except Resolver404:
            return None
        return path if match.route == self.pattern else None


# `<int:pk>` / `<code>` in path() patterns, `(?P<name>…)` in re_path() ones.
_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<(\w+)>[^)]*\)")


def _name_of(match):
    return match.group(1) or match.group(2)


def discover(patterns=None, prefix="", namespace=""):
    """Every URLPattern below `patterns` (the root URLconf by default), in URLconf order."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from discover(entry.url_patterns, _join(prefix, entry), inner)
        elif isinstance(entry, URLPattern):
            pattern = _join(prefix, entry)
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(pattern=pattern, name=name, callback=entry.callback)


def _join(prefix, entry):
    """The route as ResolverMatch.route spells it (a regex's leading ^ dropped)."""
    return prefix + str(entry.pattern).removeprefix("^")


def parameters_of(route):
    return [_name_of(match) for match in _PARAMETER.finditer(route.pattern)]


def _admin_object(world, route):
    """The world's object of the admin page's model, else its first row, else a free id."""
    model = route.callback.model_admin.model
    for value in world.values():
        if isinstance(value, model):
            return value.pk
    first = model._default_manager.order_by("pk").first()
    return first.pk if first else 1


def _reset_token(world, route):
    return default_token_generator.make_token(world["resetter"])


# (route glob, parameter, value from the world); the first match wins.
FILLERS = [
    ("sites:*", "code", lambda world, route: world["site_own"].site_code),
    ("portal:*", "code", lambda world, route: world["site_own"].site_code),
    ("pickers:*", "code", lambda world, route: world["site_own"].site_code),
    ("api:token_revoke", "pk", lambda world, route: world["api_token"].pk),
    ("api:webhook_*", "pk", lambda world, route: world["webhook_own"].pk),
    ("api:v1:site-*", "pk", lambda world, route: world["site_own"].pk),
    ("api:v1:site-member", "membership_id", lambda world, route: world["membership_own"].pk),
    ("api:v1:visit-*", "pk", lambda world, route: world["visit_own"].pk),
    ("api:v1:series-*", "pk", lambda world, route: world["series_own"].pk),
    ("api:v1:stock-item-*", "pk", lambda world, route: world["item_own"].pk),
    ("api:v1:inspection-*", "pk", lambda world, route: world["inspection_own"].pk),
    ("api:v1:photo-*", "pk", lambda world, route: world["photo_own"].pk),
    ("sites:membership_*", "pk", lambda world, route: world["membership_own"].pk),
    ("scheduling:visit_update_following", "pk", lambda w, r: w["visit_series_own"].pk),
    ("scheduling:calendar_feed_ics", "token", lambda world, route: world["feed_token"]),
    ("scheduling:*", "pk", lambda world, route: world["visit_own"].pk),
    ("inventory:site_*", "pk", lambda world, route: world["site_own"].pk),
    ("inventory:*", "pk", lambda world, route: world["item_own"].pk),
    ("inspections:photo", "pk", lambda world, route: world["photo_own"].pk),
    ("inspections:photo", "variant", lambda world, route: "thumb"),
    ("inspections:*", "pk", lambda world, route: world["inspection_own"].pk),
    (
        "password_reset_confirm",
        "uidb64",
        lambda world, route: urlsafe_base64_encode(force_bytes(world["resetter"].pk)),
    ),
    ("password_reset_confirm", "token", _reset_token),
    ("signup_confirm", "token", lambda world, route: "not-a-signed-link"),
    (
        "admin:view_on_site",
        "content_type_id",
        lambda world, route: ContentType.objects.get_for_model(world["site_own"]).pk,
    ),
    ("admin:view_on_site", "object_id", lambda world, route: world["site_own"].pk),
    ("admin:auth_user_password_change", "id", lambda world, route: world["resetter"].pk),
    ("admin:app_list", "app_label", lambda world, route: "sites"),
    ("admin/*", "object_id", _admin_object),
    ("admin/*", "url", lambda world, route: "no-such-page/"),
]


def filler(route, parameter):
    for glob, name, fill in FILLERS:
        if name == parameter and route.matches(glob):
            return fill
    return None


def real_values(route, world):
    return {name: filler(route, name)(world, route) for name in parameters_of(route)}


def junk_urls(route, world):
    """(parameter, junk id, path) for each junk id the URLconf routes to this route."""
    real = real_values(route, world)
    found = []
    for name in real:
        for junk in JUNK_IDS:
            path = route.url(**{**real, name: junk})
            if path is not None:
                found.append((name, junk, path))
    return found


ROUTES = [route for route in discover() if route.name not in SKIPPED]
