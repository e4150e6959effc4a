"""Form widgets shared by the apps.

`FastSelect` is Django's `Select` with the options built in Python instead of one template
render per `<option>`. A 1,000-site dropdown rendered through the template engine costs
100+ ms per request on the benchmark machine (docs/PERFORMANCE.md, finding 4); the same
options built with `format_html` cost a few milliseconds. The HTML is byte for byte what
`Select` renders (same attributes, same whitespace), every value and label is escaped by
`format_html`, and the selected option is marked the same way.
"""

from django import forms
from django.utils.html import format_html, format_html_join


def _attrs_html(attrs):
    """What "django/forms/widgets/attrs.html" renders: ` name="value"` per attribute, a bare
    ` name` for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class FastSelect(forms.Select):
    """A single `<select>` that renders its options without the template engine (for big
    dropdowns: sites, people, stock items)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Widget.get_context, not ChoiceWidget's: that one builds a dict per option (optgroups)
        # only for the templates to read; the options are written straight from the choices.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])  # format_value(): the value as a list of strings
        groups = []
        pending = {"found": False}

        def options(choices):
            rows = []
            for option_value, option_label in choices:
                key = "" if option_value is None else str(option_value)
                selected = not pending["found"] and key in chosen
                pending["found"] |= selected
                rows.append((key, " selected" if selected else "", option_label))
            return format_html_join("", '\n  <option value="{}"{}>{}</option>\n', rows)

        flat = []  # consecutive options outside any optgroup, written in one go
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                if flat:
                    groups.append(options(flat))
                    flat = []
                groups.append(
                    format_html(
                        '\n  <optgroup label="{}">{}\n  </optgroup>',
                        option_value,
                        options(option_label),
                    )
                )
            else:
                flat.append((option_value, option_label))
        if flat:
            groups.append(options(flat))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs_html(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )
