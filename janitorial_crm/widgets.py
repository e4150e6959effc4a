"""Form widgets shared by the apps.

`FastSelect` is Django's `Select` with the options built in Python instead of one template
render per `<option>`. A 1,000-site dropdown rendered through the template engine costs
100+ ms per request on the benchmark machine (docs/PERFORMANCE.md, finding 4); the same
options built with `format_html` cost a few milliseconds. The HTML is byte for byte what
`Select` renders (same attributes, same whitespace), every value and label is escaped by
`format_html`, and the selected option is marked the same way.

`AutocompletePicker` (at the end) has replaced it wherever the queryset grows with the data
(sites, people): it renders the chosen row only and searches the rest through a JSON endpoint
(the `pickers` app). FastSelect stays for long fixed lists.
"""

from django import forms
from django.templatetags.static import static
from django.urls import reverse
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


class AutocompletePicker(forms.TextInput):
    """A picker for a big queryset (sites, people): it never renders the queryset.

    Without JavaScript it is a text box holding the chosen row's code or username; the field
    (`janitorial_crm.pickers.PickerField`) reads back a primary key, a code or username, or a
    name. With JavaScript, static/js/app.js turns it into a searchable combobox (Tom Select,
    vendored) that asks `source` — the URL name of a `pickers` endpoint — for at most 20
    options at a time. The chosen row travels in data attributes (its key and label), so the
    page holds one option at most, whatever the size of the queryset.

    The widget's `choices` is its field's ModelChoiceIterator (ModelChoiceField sets it); the
    field resolves the value, which costs one small query when something is chosen.
    """

    def __init__(self, source, attrs=None, source_kwargs=None):
        super().__init__(attrs)
        self.source = source
        self.source_kwargs = source_kwargs or {}

    def render(self, name, value, attrs=None, renderer=None):
        field = getattr(getattr(self, "choices", None), "field", None)
        chosen = field.resolve_quietly(value) if field is not None else None
        if chosen is not None:
            text = field.text_for(chosen)
        else:
            # What was typed and not found stays in the box, next to the field's error.
            text = "" if value is None or hasattr(value, "pk") else str(value)
        widget = forms.Widget.get_context(self, name, text, attrs)["widget"]
        picker = {
            "value": text or False,
            "autocomplete": "off",
            "spellcheck": "false",
            "data-picker-url": reverse(self.source, kwargs=self.source_kwargs),
            "data-picker-js": static(TOM_SELECT_JS),
            "data-picker-css": " ".join(static(path) for path in PICKER_CSS),
        }
        if field is not None and field.empty_label:
            picker["data-picker-empty"] = field.empty_label
        if chosen is not None:
            picker["data-picker-value"] = chosen.pk
            picker["data-picker-label"] = field.label_from_instance(chosen)
        return format_html(
            '<input type="text" name="{}"{}>',
            widget["name"],
            _attrs_html({**picker, **widget["attrs"]}),
        )


TOM_SELECT_JS = "js/vendor/tom-select-2.6.2.complete.min.js"
# Loaded by static/js/app.js with the first picker of a page: the library's Bootstrap theme, ours.
PICKER_CSS = ("css/vendor/tom-select-2.6.2.bootstrap5.min.css", "css/pickers.css")
