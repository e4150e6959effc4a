"""Stock forms: they validate and normalise; the quantity changes only in `inventory.services`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import MovementKind, SupplyInventory, format_quantity
from inventory.services import SKU_TAKEN
from janitorial_crm.pickers import SitePickerField
from janitorial_crm.validators import parse_pk
from janitorial_crm.widgets import AutocompletePicker
from sites.models import ClientSite


def quantity_field(**kwargs):
    """A decimal quantity in the item's unit: big, numeric keypad on phones, never negative."""
    kwargs.setdefault("min_value", Decimal("0"))
    kwargs.setdefault("max_digits", 12)
    kwargs.setdefault("decimal_places", 2)
    return forms.DecimalField(
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.01", "min": "0", "autocomplete": "off"}
        ),
        **kwargs,
    )


class SupplyInventoryForm(forms.ModelForm):
    """Create or edit an item. The quantity on hand is not here: it changes through movements
    only (an opening quantity on create becomes the first restock)."""

    reorder_level = quantity_field(
        label=_("Reorder level"),
        help_text=_("The item is low when the quantity on hand is at or below this."),
    )
    par_level = quantity_field(
        label=_("Par level"),
        required=False,
        help_text=_("Target quantity after a restock. Empty means twice the reorder level."),
    )
    opening_quantity = quantity_field(
        label=_("Opening quantity"),
        required=False,
        help_text=_("What is on the shelf now; recorded as the first restock."),
    )

    class Meta:
        model = SupplyInventory
        fields = ["site", "item_name", "sku", "category", "unit", "reorder_level", "par_level"]
        field_classes = {"site": SitePickerField}
        widgets = {"site": AutocompletePicker("pickers:active_sites")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving an item to another site would make its ledger lie; create a new item.
            del self.fields["site"]
            del self.fields["opening_quantity"]
        else:
            sites = ClientSite.objects.for_user(user).active()
            self.fields["site"].queryset = sites.only("pk", "site_code", "site_name")

    @property
    def site(self):
        if self.instance.pk:
            return self.instance.site
        return self.cleaned_data.get("site")

    def clean_sku(self):
        return self.cleaned_data["sku"].strip().upper()

    def sku_taken(self):
        """Whether another item at the site already has this SKU (the unique constraint)."""
        sku, site = self.cleaned_data.get("sku"), self.site
        if not sku or site is None:
            return False
        return (
            SupplyInventory.objects.filter(site=site, sku=sku).exclude(pk=self.instance.pk).exists()
        )

    def clean(self):
        cleaned = super().clean()
        if self.sku_taken():
            self.add_error("sku", SKU_TAKEN)
        reorder, par = cleaned.get("reorder_level"), cleaned.get("par_level")
        if reorder is not None and par is not None and par <= reorder:
            self.add_error("par_level", _("The par level must be above the reorder level."))
        return cleaned


class StockMovementForm(forms.Form):
    """One movement of one item, for those who may adjust any stock."""

    kind = forms.ChoiceField(label=_("What happened"), choices=MovementKind.choices)
    quantity = quantity_field(
        label=_("Quantity"),
        help_text=_(
            "Restock: how many arrived. Usage: how many were used. "
            "Count correction: how many are on the shelf now."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FieldCountForm(forms.Form):
    """What goes with a whole field count: an optional note for every row."""

    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Optional, e.g. the visit or the closet."),
    )


class StockRowForm(forms.Form):
    """One item of the site in a field count. An empty quantity means "skip this item".

    `item` only says which row this is: it must be one of the items the view passes in
    (`items`, already scoped to the site and the user), never any item id.
    """

    item = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    quantity = quantity_field(required=False)

    def __init__(self, *args, items, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["item"].choices = [(pk, pk) for pk in items]
        raw = self["item"].value()
        self.item = items.get(parse_pk(raw))
        field = self.fields["quantity"]
        field.widget.attrs["class"] = "form-control-lg"
        if self.item is not None:
            field.label = self.item.item_name
            field.help_text = _("%(sku)s · on hand %(quantity)s %(unit)s") % {
                "sku": self.item.sku,
                "quantity": format_quantity(self.item.quantity_on_hand),
                "unit": self.item.get_unit_display(),
            }
        field.widget.attrs["placeholder"] = (
            _("used") if kind == MovementKind.USAGE else _("counted")
        )

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity == 0 and self.kind == MovementKind.USAGE:
            raise forms.ValidationError(_("Enter a quantity above zero, or leave it empty."))
        return quantity


class BaseStockRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            item = form.cleaned_data.get("item")
            if item in seen:
                raise forms.ValidationError(_("An item appears twice; reload the page."))
            seen.add(item)

    def filled_rows(self):
        """(form, item, quantity) for the rows with a quantity."""
        return [
            (form, form.item, form.cleaned_data["quantity"])
            for form in self.forms
            if form.cleaned_data.get("quantity") is not None
        ]


def stock_row_formset(*, items, kind, data=None):
    """The field-count formset: one row per item of `items` (a list, in display order)."""
    by_pk = {item.pk: item for item in items}
    formset_class = forms.formset_factory(
        StockRowForm,
        formset=BaseStockRowFormSet,
        extra=0,
        max_num=len(items),
        validate_max=True,
        absolute_max=max(len(items), 1),
    )
    return formset_class(
        data,
        prefix="rows",
        initial=[{"item": item.pk} for item in items],
        form_kwargs={"items": by_pk, "kind": kind},
    )
