"""The pages' side of the live stream: the stream a page opens, the indicator, the vendored SSE
extension, and what every live region carries (janitorial_crm/live_pages.py). Each wired page
has its own tests next to its app's."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from janitorial_crm.live_pages import REFRESH_DELAY, stream_url
from tests.live_pages import element, elements, stream

pytestmark = pytest.mark.django_db

VENDORED = Path(settings.BASE_DIR) / "static" / "js" / "vendor"


def scripts(response):
    return re.findall(r"<script\b[^>]*>", response.content.decode())


class TestStreamUrl:
    def test_lists_the_types_in_the_streams_order_once_and_the_site(self, live_stream):
        url = stream_url(["action", "visit", "action"], site_id=7)
        assert url == f"{live_stream}?types=visit,action&site=7"

    def test_nothing_to_listen_to_opens_no_stream(self, live_stream):
        assert stream_url([]) is None

    def test_an_unknown_type_is_a_programming_error(self, live_stream):
        with pytest.raises(ValueError, match="weather"):
            stream_url(["visit", "weather"])


class TestLivePage:
    """The dispatch board stands for every live page here."""

    def test_opens_one_stream_on_the_body_with_the_sse_extension(
        self, login, coordinator, live_stream
    ):
        response = login(coordinator).get("/visits/board/")
        body = next(attrs for tag, attrs in elements(response) if tag == "body")
        assert body["hx-ext"] == "sse"
        assert "data-live" in body
        assert stream(response) == (live_stream, ["visit", "stock"], None)

    def test_loads_the_vendored_extension_after_htmx_deferred_without_inline_script(
        self, login, coordinator, live_stream
    ):
        tags = scripts(login(coordinator).get("/visits/board/"))
        sources = [re.search(r'src="([^"]+)"', tag).group(1) for tag in tags]
        htmx = next(i for i, src in enumerate(sources) if "django_htmx/htmx-2" in src)
        extension = sources.index("/static/js/vendor/htmx-ext-sse.js")
        assert extension > htmx
        assert "defer" in tags[extension]
        assert all("src=" in tag for tag in tags)  # CSP: no inline script

    def test_shows_the_indicator_hidden_until_the_script_shows_it(
        self, login, coordinator, live_stream
    ):
        indicator = element(login(coordinator).get("/visits/board/"), "live-indicator")
        assert "hidden" in indicator["class"].split()
        assert indicator["role"] == "status"
        assert indicator["aria-live"] == "polite"
        for state in ("connecting", "live", "reconnecting", "paused"):
            assert indicator[f"data-text-{state}"].startswith("Live updates"), state

    def test_the_page_and_its_regions_vary_on_htmx_headers(self, login, coordinator, live_stream):
        response = login(coordinator).get("/visits/board/")
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"HX-Request", "HX-Target"} <= vary


def test_a_page_that_is_not_live_opens_no_stream(login, coordinator, live_stream):
    response = login(coordinator).get("/stock/")
    assert response.status_code == 200
    assert stream(response) is None
    assert element(response, "live-indicator") is None
    assert not any("htmx-ext-sse" in tag for tag in scripts(response))


def test_a_region_redraws_its_content_after_a_burst_and_on_live_refresh():
    request = RequestFactory().get("/visits/board/", {"week": "2025-03-10", "page": "2"})
    html = Template(
        '{% load live_pages %}<div {% live_region "board-live" "visit" "stock" %}></div>'
    ).render(Context({"request": request}))
    assert html == (
        '<div id="board-live" data-live-region hx-get="/visits/board/?week=2025-03-10&amp;page=2"'
        f' hx-trigger="sse:visit delay:{REFRESH_DELAY}, sse:stock delay:{REFRESH_DELAY},'
        f' live:refresh from:body delay:{REFRESH_DELAY}" hx-select="#board-live > *"'
        ' hx-swap="innerHTML" hx-disinherit="hx-select hx-swap"></div>'
    )


def test_a_region_with_an_unknown_type_does_not_render():
    template = Template('{% load live_pages %}<div {% live_region "x" "weather" %}></div>')
    with pytest.raises(ValueError, match="weather"):
        template.render(Context({"request": RequestFactory().get("/")}))


def test_the_extension_is_vendored_with_its_package_version_and_licence():
    header = (VENDORED / "htmx-ext-sse.js").read_text().splitlines()[0]
    assert re.match(r"/\* htmx-ext-sse 2\.\d+\.\d+ from npm .*0BSD", header)
    assert "BSD Zero Clause License" in (VENDORED / "htmx-ext-sse.LICENSE").read_text()
