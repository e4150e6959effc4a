"""The inspection list's rows and score-trend cards, built in Python (janitorial_crm/rows.py).

The same HTML as the partials the list included per row and per site
(`inspections/includes/_score_badge.html`, `_action_state.html`, `_photo_thumbs.html`,
`_score_trend.html`); the site hub keeps using those partials for its few rows.
"""

import functools

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspections.models import PhotoKind
from janitorial_crm.rows import DateFormatter, UrlMaker, join, row_format

# The photos a row shows at most.
THUMBS_PER_ROW = 3
# Score-trend SVGs kept per process (a few KB each: ~2,000 sites' trends in a few MB).
TREND_SVG_CACHE_SIZE = 2000


def score_class(score):
    """The badge colour of a score (as _score_badge.html)."""
    if score >= 90:
        return "text-bg-success"
    if score >= 75:
        return "text-bg-primary"
    if score >= 60:
        return "text-bg-warning"
    return "text-bg-danger"


def inspection_rows(logs, *, can_view_internal):
    """The list's rows: date (a link), site, inspector (staff only), score badge, corrective
    action state and up to three photo thumbnails. `logs` have their photos prefetched."""
    log_url = UrlMaker("inspections:inspection_detail")
    photo_url = UrlMaker("inspections:photo", variant="full")
    thumb_url = UrlMaker("inspections:photo", variant="thumb")
    inspected_at = DateFormatter("SHORT_DATETIME_FORMAT")
    badge = '<span class="badge {}">{}</span>'
    states = {
        "overdue": format_html(badge, "text-bg-danger", _("Overdue")),
        "open": format_html(badge, "text-bg-warning", _("Open")),
        "resolved": format_html(badge, "text-bg-success", _("Resolved")),
        "none": format_html(badge, "text-bg-light border", _("None needed")),
    }
    after_alt, photo_alt = _("Photo after the fix"), _("Inspection photo %(n)s")
    no_photos = format_html('<span class="text-body-secondary">{}</span>', "—")

    def state(log):
        if log.has_open_actions:
            return states["overdue" if log.is_overdue else "open"]
        return states["resolved" if log.is_resolved else "none"]

    def photos(log):
        shown = list(log.photos.all())[:THUMBS_PER_ROW]
        if not shown:
            return no_photos
        items = join(
            format_html(
                '<li><a href="{}" target="_blank" rel="noopener"><img class="thumb" src="{}" '
                'alt="{}" width="96" height="96" loading="lazy"></a></li>',
                photo_url(photo.pk),
                thumb_url(photo.pk),
                after_alt if photo.kind == PhotoKind.AFTER else photo_alt % {"n": number},
            )
            for number, photo in enumerate(shown, 1)
        )
        return format_html(
            '<ul class="list-unstyled d-flex flex-wrap gap-2 mb-0 photo-thumbs">{}</ul>', items
        )

    inspector_cell = '<td data-label="{=inspector}">{}</td>' if can_view_internal else ""
    row = row_format(
        '<tr><td data-label="{=date}"><a href="{=log_url}{}{=log_end}">{}</a></td>'
        '<td data-label="{=site}">{} <span class="text-body-secondary">{}</span></td>'
        + inspector_cell
        + '<td data-label="{=score}"><span class="badge score-badge {}" title="{=score}">{}</span>'
        '</td><td data-label="{=actions}">{}</td><td data-label="{=photos}">{}</td></tr>\n',
        log_url=log_url.prefix,
        log_end=log_url.suffix,
        date=_("Inspected at"),
        site=_("Site"),
        inspector=_("Inspector"),
        score=_("Score"),
        actions=_("Corrective actions"),
        photos=_("Photos"),
    )
    return join(
        format_html(
            row,
            log.pk,
            inspected_at(log.inspection_date),
            log.site.site_code,
            log.site.site_name,
            *((log.inspector,) if can_view_internal else ()),
            score_class(log.score),
            log.score,
            state(log),
            photos(log),
        )
        for log in logs
    )


def trend_cards(trends):
    """The score-trend cards above the list: [(site, TrendChart)] -> one card per site with
    the site's code (a link filtering the list to it), its latest score and the inline SVG."""
    latest_text = _("latest %(score)s")
    language, zone = get_language(), timezone.get_current_timezone_name()
    return join(
        format_html(
            '<div class="col-12 col-sm-6 col-lg-4"><div class="card card-body p-2 trend-card">'
            '<div class="d-flex justify-content-between align-items-center gap-2">'
            '<a href="?site={}" title="{}">{}</a>'
            '<span class="text-body-secondary small">{}</span></div>{}</div></div>\n',
            site.pk,
            site.site_name,
            site.site_code,
            latest_text % {"score": chart.latest},
            _trend_svg(_chart_key(chart), language, zone) if chart else "",
        )
        for site, chart in trends
    )


@functools.lru_cache(maxsize=4096)
def _short_date(day, language):
    """`{{ day|date:"SHORT_DATE_FORMAT" }}` in `language` (the active one: part of the key)."""
    return DateFormatter("SHORT_DATE_FORMAT")(day)


def _chart_key(chart):
    dots = tuple((dot.x, dot.y, dot.score, dot.inspected_at) for dot in chart.dots)
    return (chart.width, chart.height, chart.points, chart.target_y, dots)


# A site's trend changes only when an inspection is filed, and the list shows the same sites'
# trends page after page: each SVG (a dozen dots with a localised date each, ~20 us a dot) is
# drawn once per process for its exact content, language and time zone, then reused.
@functools.lru_cache(maxsize=TREND_SVG_CACHE_SIZE)
def _trend_svg(key, language, zone):
    """The inline SVG of one chart (as _score_trend.html). Numbers are written unlocalised, as
    `{% localize off %}` did; the dots' dates in the active locale's short date format."""
    width, height, points, target_y, dots = key
    zone_now = timezone.get_current_timezone()
    circles = join(
        format_html(
            '<circle cx="{}" cy="{}" r="3" fill="currentColor"><title>{}: {}</title></circle>',
            str(x),
            str(y),
            _short_date(inspected_at.astimezone(zone_now).date(), language),
            str(score),
        )
        for x, y, score, inspected_at in dots
    )
    label = _("Score trend over the last %(n)s inspections, from %(first)s to %(latest)s") % {
        "n": len(dots),
        "first": dots[0][2],
        "latest": dots[-1][2],
    }
    return format_html(
        '<svg class="score-trend text-primary" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-label="{label}">'
        '<line x1="0" y1="{target}" x2="{w}" y2="{target}" stroke="#adb5bd" stroke-width="1" '
        'stroke-dasharray="4 3"/>'
        '<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round"/>{circles}</svg>',
        w=str(width),
        h=str(height),
        label=label,
        target=str(target_y),
        points=points,
        circles=circles,
    )
