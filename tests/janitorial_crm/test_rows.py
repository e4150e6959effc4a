"""The helpers the list pages build their rows with (janitorial_crm/rows.py) give what the
template engine gave: escaped values, reverse()'s URLs, the date filter's text."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import format_html

from janitorial_crm.rows import DateFormatter, UrlMaker, join, row_format
from tests.clock import ZONE, at


def test_row_format_escapes_the_constants_once_and_keeps_their_braces_as_text():
    row = row_format('<td data-label="{=label}">{}</td>', label='<b>&"{0}')
    assert format_html(row, "<i>") == '<td data-label="&lt;b&gt;&amp;&quot;{0}">&lt;i&gt;</td>'


def test_row_format_does_not_fill_in_a_field_named_inside_a_constant():
    row = row_format("{=a}|{=b}|{}", a="{=b}", b="x")
    assert format_html(row, "y") == "{=b}|x|y"


def test_row_format_refuses_an_unknown_constant():
    with pytest.raises(KeyError):
        row_format("{=missing}{}")


def test_join_escapes_plain_text_and_keeps_built_html():
    assert join([format_html("<b>{}</b>", "&"), "<i>"]) == "<b>&amp;</b>&lt;i&gt;"


@pytest.mark.parametrize(
    ("viewname", "kwarg", "value", "fixed"),
    [
        ("scheduling:visit_detail", "pk", 42, {}),
        ("inspections:photo", "pk", 7, {"variant": "thumb"}),
        ("portal:site_detail", "code", "HQ-01", {}),
    ],
)
def test_url_maker_gives_what_reverse_gives(viewname, kwarg, value, fixed):
    assert UrlMaker(viewname, kwarg, **fixed)(value) == reverse(
        viewname, kwargs={kwarg: value, **fixed}
    )


@pytest.mark.parametrize(
    ("value", "format_name", "day_only"),
    [
        (at(dt.date(2026, 11, 24), 23, 30), "SHORT_DATETIME_FORMAT", False),
        # 04:30 UTC is still the evening before in New York.
        (dt.datetime(2026, 11, 25, 4, 30, tzinfo=dt.UTC), "SHORT_DATE_FORMAT", True),
        (dt.datetime(2026, 11, 25, 4, 30, tzinfo=dt.UTC), "SHORT_DATETIME_FORMAT", False),
        (dt.date(2026, 11, 24), "D j M Y", False),
        (None, "SHORT_DATE_FORMAT", True),
    ],
)
def test_date_formatter_writes_what_the_date_filter_writes(value, format_name, day_only):
    expected = Template(f'{{{{ value|date:"{format_name}" }}}}').render(Context({"value": value}))
    formatter = DateFormatter(format_name, day_only=day_only)
    assert formatter(value) == expected
    assert formatter(value) == expected  # the second time from what it remembers


def test_date_formatter_tells_apart_days_that_share_a_date_elsewhere():
    formatter = DateFormatter("SHORT_DATE_FORMAT", day_only=True)
    evening = dt.datetime(2026, 11, 24, 23, 0, tzinfo=ZONE)
    next_morning_utc = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)  # 01:00 on the 25th
    assert formatter(evening) != formatter(next_morning_utc)
