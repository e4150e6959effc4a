"""`{{ field|as_bootstrap_field }}`: a form field in Bootstrap 5 markup, written in Python.

It writes what crispy-forms' `{{ field|as_crispy_field }}` renders for the plain widgets of the
filter forms (text, number, date, select, checkbox and the pickers): the same wrapper, label,
classes and ids, the widget's own `render()`, the errors under it (`is-invalid` and
`invalid-feedback`) and the help text; only the whitespace differs. Crispy renders each field
through a chain of five templates, which was 15–27 % of a list page's request
(docs/PERFORMANCE.md, "Round 2"); this costs the widget's render and a few `format_html`.

A field it does not know (radio buttons, several checkboxes, files, multi-part widgets, a
widget wrapping another, fieldsets) goes to crispy, so every field still renders. Help text is
escaped here, where crispy marks it safe: no filter writes HTML into its help text.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _written_here(field):
    widget = field.field.widget
    return not (
        field.use_fieldset
        or field.field.show_hidden_initial
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
        or isinstance(widget, (forms.RadioSelect, forms.FileInput))
    )


def _widget(field, bootstrap_class):
    """The widget with crispy's classes: its own, its class name in lower case (crispy's
    marker, `textinput`, `autocompletepicker`…) and Bootstrap's. Passed as render attrs, so
    the form's widget keeps its own `attrs`."""
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    name = type(widget).__name__.lower()
    if not css:
        css = name
    elif name not in css:
        css = f"{css} {name}"
    classes = css.split()
    wanted = f"{bootstrap_class} is-invalid" if field.errors else bootstrap_class
    for extra in wanted.split():
        if extra not in classes:
            classes.append(extra)
    return field.as_widget(attrs={"class": " ".join(classes)})


def _label_text(field):
    if field.field.required:
        return format_html('{}<span class="asteriskField">*</span>', field.label)
    return format_html("{}", field.label)


def _errors_and_help(field):
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        if field.auto_id:
            help_text = format_html(
                '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
            )
        else:
            help_text = format_html('<div class="form-text">{}</div>', field.help_text)
    return format_html("{}{}", errors, help_text)


def _label(field, css_class):
    required = " requiredField" if field.field.required else ""
    if field.id_for_label:
        return format_html(
            '<label for="{}" class="{}{}">{}</label>',
            field.id_for_label,
            css_class,
            required,
            _label_text(field),
        )
    return format_html('<label class="{}{}">{}</label>', css_class, required, _label_text(field))


def _extra_classes(field):
    css_classes = field.css_classes()
    return f" {css_classes}" if css_classes else ""


@register.filter
def as_bootstrap_field(field):
    """The field as crispy's Bootstrap 5 `field.html` lays it out (labels shown, errors shown,
    no helper), for the widgets `_written_here` knows; crispy itself for the others."""
    if not _written_here(field):
        return as_crispy_field(field)
    if field.is_hidden:
        return field.as_widget()
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            _extra_classes(field),
            _widget(field, "form-check-input"),
            _label(field, "form-check-label"),
            _errors_and_help(field),
        )
    bootstrap_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id,
        _extra_classes(field),
        _label(field, "form-label") if field.label else "",
        _widget(field, bootstrap_class),
        _errors_and_help(field),
    )
