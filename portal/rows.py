"""The site list's rows, built in Python (janitorial_crm/rows.py): the same HTML the template
wrote per site. Office users see the low-stock count and the last inspection (annotated by
portal.site_queries); clients see the address instead."""

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from janitorial_crm.rows import DateFormatter, UrlMaker, choice_labels, join, row_format
from sites.models import ClientSite


def site_rows(sites, *, can_see_internals):
    """The rows of the site list: code and name (links to the site), client, service level,
    then low stock and last inspection (office) or the address (clients), and active or not."""
    site_url = UrlMaker("portal:site_detail", kwarg="code")
    stock_url = reverse("inventory:item_list")
    levels = choice_labels(ClientSite, "service_level")
    last_inspected = DateFormatter("SHORT_DATE_FORMAT", day_only=True)
    dash = format_html('<span class="text-body-secondary">{}</span>', "—")
    never = format_html('<span class="text-body-secondary">{}</span>', _("Never"))
    active = format_html('<span class="badge text-bg-success">{}</span>', _("Active"))
    inactive = format_html('<span class="badge text-bg-secondary">{}</span>', _("Inactive"))

    def low_stock(site):
        count = site.low_stock_count
        if not count:
            return dash
        return format_html(
            '<a class="badge text-bg-warning" href="{}?site={}&amp;low=1">{}</a>',
            stock_url,
            site.pk,
            ngettext("%(counter)s item", "%(counter)s items", count) % {"counter": count},
        )

    if can_see_internals:
        middle = '<td data-label="{=low}">{}</td><td data-label="{=inspected}">{}</td>'
    else:
        middle = '<td data-label="{=address}">{}</td>'
    row = row_format(
        '<tr><td data-label="{=code}"><a class="fw-semibold" href="{=url}{}{=end}">{}</a></td>'
        '<td data-label="{=site}"><a href="{=url}{}{=end}">{}</a></td>'
        '<td data-label="{=client}">{}</td><td data-label="{=level}">{}</td>'
        + middle
        + '<td data-label="{=status}">{}</td></tr>\n',
        url=site_url.prefix,
        end=site_url.suffix,
        code=_("Code"),
        site=_("Site"),
        client=_("Client"),
        level=_("Service level"),
        low=_("Low stock"),
        inspected=_("Last inspection"),
        address=_("Address"),
        status=_("Status"),
    )

    def middle_cells(site):
        if not can_see_internals:
            return (linebreaksbr(site.address),)
        inspected = site.last_inspected_at
        return (low_stock(site), last_inspected(inspected) if inspected else never)

    return join(
        format_html(
            row,
            site.site_code,
            site.site_code,
            site.site_code,
            site.site_name,
            site.client_name,
            levels.get(site.service_level, site.service_level),
            *middle_cells(site),
            active if site.active else inactive,
        )
        for site in sites
    )
