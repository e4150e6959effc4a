"""Form fields behind the autocomplete pickers (`janitorial_crm.widgets.AutocompletePicker`).

A picker's field is a ModelChoiceField over the same scoped queryset as before; only the way
a value arrives changes. It accepts, in this order:

1. a primary key (ASCII digits): what the combobox sends, and what other pages link with
   (`?site=<pk>`, `?assigned_to=<pk>`: query parameter names and values are a contract);
2. the row's key, case-insensitively: a site code, a username (the text box without
   JavaScript shows it);
3. the row's name (site name, full name), case-insensitively, if exactly one row has it.

Several rows with the name, or none at all, is a message next to the field, never a 500 (in a
filter form the list shows every row with the message, like any other invalid filter).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from janitorial_crm.validators import parse_pk


class PickerField(forms.ModelChoiceField):
    """A ModelChoiceField read from a pk, a key or a unique name (see the module docstring)."""

    key_field = "pk"
    name_field = "pk"
    default_error_messages = {
        "invalid_choice": _("Nothing matches “%(value)s”."),
        "ambiguous": _("Several match “%(value)s”: type the code instead."),
    }

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self._resolved = {}  # text -> row or ValidationError, for this queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        text = str(value).strip()
        if not text:
            return None
        return self.resolve(text)

    def resolve(self, text):
        # The form cleans the value, then the widget shows it: one lookup for both.
        cache = self._resolved
        if text not in cache:
            try:
                cache[text] = self._lookup(text)
            except forms.ValidationError as error:
                cache[text] = error
        if isinstance(cache[text], forms.ValidationError):
            raise cache[text]
        return cache[text]

    def _lookup(self, text):
        rows = self.queryset
        if "\x00" in text:  # no code or name holds one (and PostgreSQL refuses it in a query)
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text[:60].replace("\x00", "\ufffd")},
            )
        pk = parse_pk(text)
        if pk is not None:
            row = rows.filter(pk=pk).first()
            if row is not None:
                return row
        error = {"value": text[:60]}
        by_key = list(rows.filter(**{f"{self.key_field}__iexact": text})[:2])
        exact = [row for row in by_key if getattr(row, self.key_field) == text]
        if len(by_key) == 1 or len(exact) == 1:
            return (exact or by_key)[0]
        by_name = list(rows.filter(**{f"{self.name_field}__iexact": text})[:2])
        if len(by_name) == 1:
            return by_name[0]
        if by_name or by_key:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params=error
            )
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params=error
        )

    def resolve_quietly(self, value):
        """The row `value` names, or None (what the widget shows)."""
        if isinstance(value, self.queryset.model):
            return value
        try:
            return self.to_python(value)
        except forms.ValidationError:
            return None

    def text_for(self, row):
        """What the text box shows for `row`: its key, unless that would read as a pk."""
        key = str(getattr(row, self.key_field))
        return str(row.pk) if parse_pk(key) is not None else key

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before, after = self.resolve_quietly(initial), self.resolve_quietly(data)
        return getattr(before, "pk", None) != getattr(after, "pk", None)

    @classmethod
    def label_for(cls, row):
        """The option's text, in the page and in the endpoint's answer alike."""
        return str(row)

    def label_from_instance(self, obj):
        return self.label_for(obj)


class SitePickerField(PickerField):
    """A client site by pk, code or name. Its label, "CODE · Name", holds both."""

    key_field = "site_code"
    name_field = "site_name"
    default_error_messages = {
        "invalid_choice": _("No site has the code or name “%(value)s”."),
        "ambiguous": _("Several sites are called “%(value)s”: type the site code."),
    }


class PersonPickerField(PickerField):
    """A user by pk, username or full name. Label: "Full Name (username)"."""

    key_field = "username"
    name_field = "full_name"
    default_error_messages = {
        "invalid_choice": _("Nobody has the username or name “%(value)s”."),
        "ambiguous": _("Several people are called “%(value)s”: type the username."),
    }

    @classmethod
    def label_for(cls, row):
        return f"{row.full_name} ({row.username})" if row.full_name else row.username


class PersonWithRolePickerField(PersonPickerField):
    """A person whose role matters to the choice (a site's contact or member): the label
    ends with the role (prefetch `groups`)."""

    @classmethod
    def label_for(cls, row):
        return f"{super().label_for(row)} · {row.role_label}"


class PickerFilter(django_filters.ModelChoiceFilter):
    """A django-filter ModelChoiceFilter with a picker field:
    `PickerFilter(field_class=SitePickerField, queryset=..., widget=AutocompletePicker(...))`."""

    def __init__(self, *args, field_class, **kwargs):
        self.field_class = field_class
        super().__init__(*args, **kwargs)
