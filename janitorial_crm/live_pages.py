"""The pages' side of the live stream (`/live/`, URL name `live:stream`): which events a page
listens to, and the regions of a page that redraw themselves when one arrives.

A live page opens one stream, on `<body>` (base.html), for the event types its view declares
(`live_types`, and `site` when the page is about one site). A live region is an element that
re-fetches itself with an htmx GET of the page's own URL, query string kept, when one of its
event types arrives (or `live:refresh`, which static/js/app.js sends when events may have been
missed). The view answers such a GET, recognised by its HX-Target (the region's id), with the
region's partial template alone: what is redrawn goes through the same view, the same gate and
the same queries as the page, nothing new is routed. Without JavaScript, or without the stream,
the page is the plain page it was.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers

if TYPE_CHECKING:
    from django.views.generic.base import ContextMixin, TemplateResponseMixin

    # Mixed into Django's template views only: for the type checker it is one.
    class _ViewBase(TemplateResponseMixin, ContextMixin):
        request: HttpRequest

else:
    _ViewBase = object

STREAM_ROUTE = "live:stream"
# The stream's event types (its `types` parameter), in the order a stream URL lists them.
EVENT_TYPES = ("visit", "stock", "inspection", "action")
# A region waits this long after an event before it re-fetches, and each new event restarts the
# wait: a burst (a series of visits planned, a shelf counted) is one request, sent after the
# last event of the burst so that it shows all of them. (htmx's `throttle` would send on the
# first event and drop the rest of the burst.)
REFRESH_DELAY = "500ms"


def checked_types(types: Iterable[str]) -> list[str]:
    """`types` in the stream's order, each once; an unknown type is a programming error (the
    stream would answer 400), raised here rather than on every page view."""
    wanted = set(types)
    unknown = wanted.difference(EVENT_TYPES)
    if unknown:
        raise ValueError(f"Unknown live event type(s): {', '.join(sorted(unknown))}")
    return [kind for kind in EVENT_TYPES if kind in wanted]


def stream_url(types: Iterable[str], site_id: int | None = None) -> str | None:
    """The stream's URL for these event types (only one site's events with `site_id`), or None
    when there is nothing to listen to: the page is then a plain page."""
    kinds = checked_types(types)
    if not kinds:
        return None
    url = reverse(STREAM_ROUTE)
    query = {"types": ",".join(kinds)}
    if site_id is not None:
        query["site"] = str(site_id)
    return f"{url}?{urlencode(query, safe=',')}"


class LiveRegionsMixin(_ViewBase):
    """A page whose regions redraw themselves when the stream announces a change.

    `live_types`: the event types the page listens to. `live_regions`: {element id: the
    partial template that renders that element}; an htmx GET aimed at one of them (its
    HX-Target) is answered with that partial alone, from the page's own context. Mix it in
    first: it picks the template and adds to the context of the view below it.
    """

    live_types: tuple[str, ...] = ()
    live_regions: Mapping[str, str] = {}

    def get_live_types(self) -> Iterable[str]:
        return self.live_types

    def get_live_site(self) -> int | None:
        """The id of the one site the page is about (the stream then sends only its events)."""
        return None

    def get_live_regions(self) -> Mapping[str, str]:
        return self.live_regions

    def get_live_region(self) -> str | None:
        """The id of the region an htmx GET asks for, or None: the whole page."""
        htmx = getattr(self.request, "htmx", None)
        if not htmx or self.request.method not in ("GET", "HEAD"):
            return None
        target = htmx.target
        return target if target in self.get_live_regions() else None

    def get_template_names(self) -> list[str]:
        region = self.get_live_region()
        if region is not None:
            return [self.get_live_regions()[region]]
        return super().get_template_names()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["live_types"] = tuple(checked_types(self.get_live_types()))
        context["live_site"] = self.get_live_site()
        return context

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        # The same URL is a page or one of its regions: a cache must tell them apart.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response
