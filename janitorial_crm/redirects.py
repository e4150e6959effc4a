"""Where a `next` parameter may send the user after an action.

A form that saves something and then goes "back" takes the page to return to from `next`. That
value comes from the browser, so it is honoured only when it is a plain path on this site that
one of our URLs answers; anything else (a URL name, another host, a scheme, a backslash trick, a
control character, a sign-out page, a 5,000-character string) falls back to a page the view
chooses. Views answer with `HttpResponseRedirect(url)`, never `redirect(url)`: the shortcut
takes a string without a slash for a URL name, and a name that does not exist is a 500.

Login is not covered here: Django's LoginView has its own `next` handling.
"""

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Longer than any page of ours with its query string; a longer `next` is a probe.
MAX_NEXT_LENGTH = 2000

# Pages a "back" link must never land on: following one would sign the user out (logout), or
# show a login form to someone already logged in. Matched on the URL name, in any namespace
# (the admin's own login/logout included).
REFUSED_URL_NAMES = frozenset({"login", "logout"})


def is_safe_next(request: HttpRequest, candidate: object) -> bool:
    """True when `candidate` is a same-site absolute path that one of our pages answers."""
    if not isinstance(candidate, str) or not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return False
    # A single leading slash: "//host" and "/\host" are read by browsers as another host.
    if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in candidate):
        return False
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return False
    path = unquote(urlsplit(candidate).path)
    if "\x00" in path or "\\" in path or path.startswith("//"):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name not in REFUSED_URL_NAMES


def next_url(request: HttpRequest, fallback: "StrOrPromise") -> str:
    """The request's `next` (POST first, then the query string) if it is safe, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate is not None and is_safe_next(request, candidate):
        return candidate
    return str(fallback)


def redirect_next(request: HttpRequest, fallback: "StrOrPromise") -> HttpResponseRedirect:
    """A redirect to the request's safe `next`, or to `fallback`."""
    return HttpResponseRedirect(next_url(request, fallback))
