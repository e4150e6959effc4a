"""The repeated rows and cards of the busiest pages, built in Python instead of the template.

A list page at 100 rows spent 8-14 times its SQL time in the template engine: per row, every
`{{ }}` is a context lookup and a filter chain, every `{% translate %}` a catalogue lookup, every
`{% include %}` a new context, and `get_FOO_display()` translates each choice label again. The
apps' row builders (`scheduling/rows.py`, `inventory/rows.py`, `inspections/rows.py`,
`portal/rows.py`) write the same HTML with `format_html` (every value escaped) from what these
helpers look up once per page: translated words, choice labels, URL prefixes and date formats.
docs/PERFORMANCE.md, "Rows rendered in Python", has the measurements.

The page's template keeps the table, its headings and the live-update attributes; it writes the
rows with `{{ rows }}` (a SafeString from `format_html_join`: no filter or tag marks it safe).
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

# The characters reverse() leaves unquoted in a URL argument (django.urls.resolvers).
_URL_SAFE = "!$&'()*+,;=" + "/~:@"
# A value no real argument has, to find where the argument goes in a reversed URL.
_PLACEHOLDER = "2147483647"


def join(pieces: Iterable[Any]) -> SafeString:
    """The pieces (SafeStrings from format_html, or text to escape) as one safe string."""
    return format_html_join("", "{}", ((piece,) for piece in pieces))


_CONSTANT_FIELD = re.compile(r"\{=(\w+)\}")


def row_format(format_string: str, **constants: Any) -> str:
    """A format string for `format_html` with what every row repeats filled in once a page.

    Its `{=name}` fields take `constants[name]`, escaped here as format_html escapes its
    arguments (and braces doubled, so they stay text); its `{}` fields are left for each row's
    values. One pass: the text put in is not scanned again. The translated column labels of a
    100-row page are escaped once instead of 100 times.
    """

    def constant(match: re.Match[str]) -> str:
        text = str(conditional_escape(constants[match.group(1)]))
        return text.replace("{", "{{").replace("}", "}}")

    return _CONSTANT_FIELD.sub(constant, format_string)


def choice_labels(model: Any, field_name: str) -> dict[Any, str]:
    """{value: label} of a field's choices, translated once: what `get_FOO_display()` gives,
    without translating every label of the field again for every row."""
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


class UrlMaker:
    """Argument -> URL for a view, reversed once: `UrlMaker("app:view")(pk)`.

    The same string `reverse(viewname, kwargs={kwarg: value, **fixed})` gives, with the argument
    quoted as reverse() quotes it, for arguments the URL pattern accepts (a pk, a site code).
    `prefix` and `suffix` are the URL's text around the argument.
    """

    def __init__(self, viewname: str, kwarg: str = "pk", **fixed: Any) -> None:
        url = reverse(viewname, kwargs={kwarg: _PLACEHOLDER, **fixed})
        self.prefix, _placeholder, self.suffix = url.partition(_PLACEHOLDER)

    def __call__(self, value: Any) -> str:
        return f"{self.prefix}{quote(str(value), safe=_URL_SAFE)}{self.suffix}"


class DateFormatter:
    """`{{ value|date:format }}` for many values: the same text (the active locale's formats,
    aware datetimes in the current time zone first), each distinct value formatted once.

    `day_only`: the format shows no time of day (SHORT_DATE_FORMAT, "D j M Y"), so datetimes on
    the same local day share one formatting.
    """

    def __init__(self, format_name: str, *, day_only: bool = False) -> None:
        # What date_format() looks up on every call (the locale's format for a name such as
        # SHORT_DATE_FORMAT, or the format itself), looked up once.
        self.format = get_format(format_name)
        self.day_only = day_only
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        self.seen: dict[Any, str] = {}

    def __call__(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            if self.zone is not None and not timezone.is_naive(value):
                value = value.astimezone(self.zone)
            key = value.date() if self.day_only else value
        else:
            key = value
        text = self.seen.get(key)
        if text is None:
            text = self.seen[key] = dateformat.format(value, self.format)
        return text
