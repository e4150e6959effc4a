"""Admin change/add forms submitted as rendered: the POST data a browser sends for a page."""

from django import forms
from django.utils import timezone


def admin_form_data(page, **overrides):
    """The POST data of the admin form on `page` (a test-client response), with `overrides`.

    Split date-time fields are sent as their two inputs (`name_0`, `name_1`) in the company's
    zone, as the page shows them; inlines are sent with their management forms only.
    """
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.SplitDateTimeField):
            local = timezone.localtime(value) if value else None
            data[f"{name}_0"] = f"{local:%Y-%m-%d}" if local else ""
            data[f"{name}_1"] = f"{local:%H:%M:%S}" if local else ""
        elif value is not None:
            data[name] = value
    for formset in page.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(overrides)
    return data
