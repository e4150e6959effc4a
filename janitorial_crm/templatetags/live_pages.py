"""The live stream on pages (janitorial_crm/live_pages.py): `{% live_stream_url as url %}`, the
stream a page opens (base.html), and `{% live_region id type… %}`, the attributes of a region
that redraws itself."""

from django import template
from django.utils.html import format_html

from janitorial_crm.live_pages import REFRESH_DELAY, checked_types, stream_url

register = template.Library()


@register.simple_tag(takes_context=True)
def live_stream_url(context):
    """The stream this page opens, or None. The view's `live_types` decide (none: no stream);
    `nav_live_types` adds what the navigation shows live (the low-stock badge) to a page that
    opens one anyway: the badge alone is not worth a connection per open tab."""
    types = context.get("live_types") or ()
    if not types:
        return None
    types = (*types, *(context.get("nav_live_types") or ()))
    return stream_url(types, site_id=context.get("live_site"))


@register.simple_tag(takes_context=True)
def live_region(context, region_id, *types, url=None):
    """The attributes of the element `region_id`: redrawn from `url` (by default the page's own
    URL, query string kept) `REFRESH_DELAY` after the last of a burst of `types` events, and on
    `live:refresh` (events were missed).

    The answer's copy of the region (`hx-select`) replaces the region's content (innerHTML):
    the element stays, with its listeners and a redraw queued while one is on its way (an
    outerHTML swap would drop that one, and with it the last event of a burst). `data-live-region`
    is what static/js/app.js looks for; hx-disinherit keeps the region's select and swap away
    from its children's own htmx requests (a card's buttons, the board's move form).
    """
    triggers = [f"sse:{kind} delay:{REFRESH_DELAY}" for kind in checked_types(types)]
    triggers.append(f"live:refresh from:body delay:{REFRESH_DELAY}")
    return format_html(
        'id="{id}" data-live-region hx-get="{url}" hx-trigger="{triggers}" '
        'hx-select="#{id} > *" hx-swap="innerHTML" hx-disinherit="hx-select hx-swap"',
        id=region_id,
        url=url or context["request"].get_full_path(),
        triggers=", ".join(triggers),
    )
