"""The classes of bad input the sweep sends, and the reader that finds what a page asks for.

Every junk value is a list: one item for an ordinary parameter, several for a repeated one
(`?site=1&site=x`), which is how the test client encodes lists in a query string or a form.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

JUNK = {
    "5,000 characters": ["x" * 5000],
    "NUL byte": ["a\x00b"],
    "RTL override and Arabic": ["\u202eمرحبا بالعالم\u202c"],
    "30 February": ["2026-02-30"],
    "year 1": ["0001-01-01"],
    "year 99999": ["99999-01-01"],
    "huge number": ["99999999999999999999"],
    "negative number": ["-1"],
    "huge negative number": ["-99999999999999999999"],
    "superscript two": ["²"],
    "Arabic-Indic three": ["٣"],
    "repeated parameter": ["1", "x"],
    "id zero": ["0"],
    "next: bare word": ["foo"],
    "next: logout": ["logout"],
    "next: other host": ["//evil.example"],
    "next: dotted name": ["a.b"],
    "empty string": [""],
    "whitespace": [" \t\n "],
}

# Path parameters (ids, codes, tokens) are tried with these too; a value the URLconf refuses
# (`²` in an `<int:pk>`) is a 404 before any view and is not sent.
JUNK_IDS = ["0", "99999999999999999999", "²"]

# Query parameters the views read without rendering a field for them (pagination, sorting,
# the board's week, the report's month, prefills, `next`). The fields a page renders are
# found in its HTML and added to these.
KNOWN_PARAMETERS = [
    "page",
    "per_page",
    "q",
    "o",
    "ordering",
    "next",
    "date",
    "week",
    "month",
    "site",
    "schedule",
    "assigned_to",
    "status",
    "kind",
    "view",
    "_popup",
    "_to_field",
    "_changelist_filters",
]

_BUTTONS = {"submit", "button", "image", "reset"}


class Form:
    """One rendered `<form>`: where it goes and what a browser would send for it unchanged."""

    def __init__(self, method, action):
        self.method = method
        self.action = action
        self.data = {}  # name -> list of values, as submitted without changes
        self.names = []  # every field a user could change, in page order
        self._clicked = False

    def field(self, name, values):
        if name not in self.names:
            self.names.append(name)
        self.data.setdefault(name, []).extend(values)

    def name_only(self, name):
        if name not in self.names:
            self.names.append(name)

    def click(self, name, value):
        """The first submit button with a name is the one the sweep "clicks"."""
        if not self._clicked:
            self._clicked = True
            self.field(name, [value])
        else:
            self.name_only(name)


class PageReader(HTMLParser):
    """Forms (inputs, selects, textareas) and the query parameters of `?…` links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.link_parameters = []
        self._form = None
        self._select = None  # (name, multiple, options, selected)
        self._option = None  # [value or None, text]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "a" and attrs.get("href", "").startswith("?"):
            for key, _value in parse_qsl(attrs["href"][1:], keep_blank_values=True):
                if key not in self.link_parameters:
                    self.link_parameters.append(key)
        elif tag == "form":
            self._form = Form(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), ""]
            if "selected" in attrs:
                self._select[3].append(self._option)
            self._select[2].append(self._option)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form.click(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self._select = (attrs["name"], "multiple" in attrs, [], [])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def _input(self, attrs):
        name, kind = attrs["name"], attrs.get("type", "text").lower()
        if kind == "file":
            return  # a junk string in a file field reaches request.POST, not the upload
        if kind in _BUTTONS:
            self._form.click(name, attrs.get("value", ""))
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._form.field(name, [attrs.get("value", "on")])
            else:
                self._form.name_only(name)
        else:
            self._form.field(name, [attrs.get("value", "")])

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.field(name, [text.removeprefix("\n")])
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, selected = self._select
            chosen = selected or ([] if multiple else options[:1])
            values = [value if value is not None else text.strip() for value, text in chosen]
            if values:
                self._form.field(name, values)
            else:
                self._form.name_only(name)
            self._select = None


def read_page(html):
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def same_path(action, url):
    """Whether a form's `action` posts back to `url` (an empty action does)."""
    return not action or urlsplit(action).path in ("", urlsplit(url).path)
