"""Score-trend charts drawn on the server as inline SVG (no JavaScript chart library).

`score_trend()` turns a site's scores (oldest first) into the coordinates a template needs for
an SVG `<polyline>`; the template draws it with presentation attributes only (the CSP allows no
style attributes).
"""

from dataclasses import dataclass, field

# The score a site should stay above; drawn as a dashed guide line.
TARGET_SCORE = 80
# How many recent inspections a trend shows.
TREND_POINTS = 12


@dataclass(frozen=True)
class TrendDot:
    x: float
    y: float
    score: int
    inspected_at: object


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    points: str
    target_y: float
    dots: list = field(default_factory=list)

    @property
    def latest(self):
        return self.dots[-1].score if self.dots else None

    @property
    def first(self):
        return self.dots[0].score if self.dots else None


def _y(score, height, pad):
    return round(pad + (100 - score) * (height - 2 * pad) / 100, 1)


def score_trend(rows, *, width=240, height=64, pad=6):
    """A TrendChart for `rows` of (inspected_at, score), oldest first; None with no rows."""
    rows = list(rows)
    if not rows:
        return None
    step = (width - 2 * pad) / (len(rows) - 1) if len(rows) > 1 else 0
    dots = [
        TrendDot(
            x=round(pad + index * step if len(rows) > 1 else width / 2, 1),
            y=_y(score, height, pad),
            score=score,
            inspected_at=inspected_at,
        )
        for index, (inspected_at, score) in enumerate(rows)
    ]
    return TrendChart(
        width=width,
        height=height,
        points=" ".join(f"{dot.x:g},{dot.y:g}" for dot in dots),
        target_y=_y(TARGET_SCORE, height, pad),
        dots=dots,
    )


def site_trends(queryset, site_ids, *, count=TREND_POINTS):
    """{site_id: TrendChart} for the given sites from `queryset` (already scoped), one query."""
    rows = (
        queryset.filter(site_id__in=site_ids)
        .latest_per_site(count)
        .order_by("site_id", "inspection_date", "pk")
        .values_list("site_id", "inspection_date", "score")
    )
    by_site = {}
    for site_id, inspected_at, score in rows:
        by_site.setdefault(site_id, []).append((inspected_at, score))
    return {site_id: score_trend(points) for site_id, points in by_site.items()}
