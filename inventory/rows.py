"""The rows of the stock list and the low-stock list, built in Python (janitorial_crm/rows.py).

The same HTML the templates wrote per item: "about N days" left, and the badge of
`includes/_stock_status.html` (which the item page still includes). The items come annotated
by `with_forecast()` and `with_quantity_to_order()`.
"""

import itertools

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from inventory.models import SupplyInventory, format_quantity
from janitorial_crm.rows import UrlMaker, choice_labels, join, row_format


class _Words:
    """What every row repeats, translated and looked up once per page."""

    def __init__(self):
        self.item_url = UrlMaker("inventory:item_detail")
        self.units = choice_labels(SupplyInventory, "unit")
        self.categories = choice_labels(SupplyInventory, "category")
        self.low = format_html('<span class="badge text-bg-danger">{}</span>', _("Low"))
        self.soon = format_html('<span class="badge text-bg-warning">{}</span>', _("Runs low soon"))
        self.no_usage = format_html('<span class="text-body-secondary">{}</span>', "—")
        self.about_days = _("about %(days)s days")
        label = {
            "item": _("Item"),
            "site": _("Site"),
            "category": _("Category"),
            "on_hand": _("On hand"),
            "reorder": _("Reorder at"),
            "used": _("Used per day"),
            "par": _("Par"),
            "to_order": _("To order"),
            "runs_out": _("Runs out in"),
            "status": _("Status"),
        }
        item_cell = (
            '<tr><td data-label="{=item}"><a href="{}">{}</a> '
            '<span class="small text-body-secondary">{}</span></td>'
        )
        end = '<td data-label="{=runs_out}">{}</td><td data-label="{=status}">{}</td></tr>\n'
        self.stock_row = row_format(
            item_cell + '<td data-label="{=site}">{}</td>'
            '<td data-label="{=category}">{}</td>'
            '<td data-label="{=on_hand}" class="text-md-end">{} {}</td>'
            '<td data-label="{=reorder}" class="text-md-end">{}</td>'
            '<td data-label="{=used}" class="text-md-end">{}</td>' + end,
            **label,
        )
        self.low_stock_row = row_format(
            item_cell + '<td data-label="{=on_hand}" class="text-md-end">{} {}</td>'
            '<td data-label="{=reorder}" class="text-md-end">{}</td>'
            '<td data-label="{=par}" class="text-md-end">{}</td>'
            '<td data-label="{=to_order}" class="text-md-end fw-semibold">{} {}</td>' + end,
            **label,
        )

    def days_left(self, item):
        if item.days_left is None:
            return self.no_usage
        return self.about_days % {"days": floatformat(item.days_left, 0)}

    def status(self, item):
        if item.is_low:
            return self.low
        return self.soon if item.runs_low_soon else ""

    def unit(self, item):
        return self.units.get(item.unit, item.unit)


def stock_rows(items):
    """The stock list's rows: item, site, category, on hand, reorder level, daily usage, days
    left and the low / runs-low-soon badge."""
    words = _Words()
    return join(
        format_html(
            words.stock_row,
            words.item_url(item.pk),
            item.item_name,
            item.sku,
            item.site.site_code,
            words.categories.get(item.category, item.category),
            format_quantity(item.quantity_on_hand),
            words.unit(item),
            format_quantity(item.reorder_level),
            format_quantity(item.daily_usage),
            words.days_left(item),
            words.status(item),
        )
        for item in items
    )


def low_stock_groups(items):
    """[(site, rows)]: the low-stock page's items grouped by consecutive site (as `{% regroup %}`
    did), each group's rows with what to order."""
    words = _Words()

    def row(item):
        unit = words.unit(item)
        return format_html(
            words.low_stock_row,
            words.item_url(item.pk),
            item.item_name,
            item.sku,
            format_quantity(item.quantity_on_hand),
            unit,
            format_quantity(item.reorder_level),
            format_quantity(item.effective_par_level),
            format_quantity(item.to_order),
            unit,
            words.days_left(item),
            words.status(item),
        )

    return [
        (group[0].site, join(row(item) for item in group))
        for group in (
            list(members) for _site, members in itertools.groupby(items, key=lambda i: i.site_id)
        )
    ]
