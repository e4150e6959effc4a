"""Reading live pages in tests: the stream a page opens, its live regions, and their re-fetch
as htmx sends it (janitorial_crm/live_pages.py)."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext


class _Elements(HTMLParser):
    """Every element's attributes, in document order, as (tag, {name: value})."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(response):
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.found


def element(response, element_id):
    """The attributes of the element with this id; None if there is none."""
    for _tag, attrs in elements(response):
        if attrs.get("id") == element_id:
            return attrs
    return None


def stream(response):
    """(path, [types], site or None) of the stream the page opens, or None if it opens none."""
    connecting = [attrs for _tag, attrs in elements(response) if "sse-connect" in attrs]
    if not connecting:
        return None
    assert len(connecting) == 1, "a page opens one stream"
    url = urlsplit(connecting[0]["sse-connect"])
    query = parse_qs(url.query)
    site = query.get("site", [None])[0]
    return url.path, query["types"][0].split(","), site


def region(response, region_id):
    """The live region's attributes, checked to be one; None if the page has no such element."""
    attrs = element(response, region_id)
    if attrs is not None:
        assert "data-live-region" in attrs, f"#{region_id} is not a live region"
    return attrs


def triggers(region_attrs):
    """The event names a region re-fetches on (modifiers left out)."""
    return [spec.split()[0] for spec in region_attrs["hx-trigger"].split(",")]


def refetch(client, region_attrs):
    """The region's re-fetch, as htmx sends it: a GET of its hx-get aimed at it (HX-Target)."""
    return client.get(region_attrs["hx-get"], headers=htmx_headers(region_attrs["id"]))


def htmx_headers(region_id):
    return {"HX-Request": "true", "HX-Target": region_id, "HX-Trigger": region_id}


def queries(call):
    """(result of call(), number of SQL queries it ran)."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def template_names(response):
    return [template.name for template in response.templates]
