"""The visit list's rows and the dispatch board's week grid, built in Python
(janitorial_crm/rows.py): the same HTML the templates wrote per visit and per day cell.

A board card keeps its id (`visit-card-<pk>`, the move form's htmx target and what the live
tests look for), its status classes and its "Move" link's htmx attributes.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from janitorial_crm.rows import DateFormatter, UrlMaker, choice_labels, join, row_format
from scheduling.board import BY_SITE
from scheduling.models import CleaningSchedule
from scheduling.templatetags.scheduling_tags import status_class, time_window


class _StatusBadges(dict):
    """{status: its badge} (as _status_badge.html), each drawn once a page; a value outside
    the choices gets the template's fallback (scheduled colours, the raw value)."""

    def __init__(self):
        labels = choice_labels(CleaningSchedule, "status")
        super().__init__((status, self._badge(status, label)) for status, label in labels.items())

    def __missing__(self, status):
        return self._badge(status, status)

    @staticmethod
    def _badge(status, label):
        return format_html('<span class="badge {}">{}</span>', status_class(status), label)


def visit_rows(visits):
    """The visit list's rows: date (a link to the visit), time window, site, technician (or an
    "Unassigned" badge) and the status badge."""
    visit_url = UrlMaker("scheduling:visit_detail")
    badges = _StatusBadges()
    service_date = DateFormatter("D j M Y")
    unassigned = format_html('<span class="badge text-bg-warning">{}</span>', _("Unassigned"))
    row = row_format(
        '<tr class="visit-row visit-row-{}">'
        '<td data-label="{=date}"><a href="{}">{}</a></td>'
        '<td data-label="{=time}">{}</td>'
        '<td data-label="{=site}">{} · {}</td>'
        '<td data-label="{=technician}">{}</td>'
        '<td data-label="{=status}">{}</td></tr>\n',
        date=_("Date"),
        time=_("Time"),
        site=_("Site"),
        technician=_("Technician"),
        status=_("Status"),
    )
    return join(
        format_html(
            row,
            visit.status,
            visit_url(visit.pk),
            service_date(visit.service_date),
            time_window(visit),
            visit.site.site_code,
            visit.site.site_name,
            visit.assigned_to or unassigned,
            badges[visit.status],
        )
        for visit in visits
    )


def board_body(*, rows, days, today, mode, board_url):
    """The board's rows (scheduling.board.build_rows): a heading cell per row, then a cell per
    day with the day's visit cards and, outside the "Unassigned" row, a "+" to plan a visit
    there. `board_url` is the page's URL, where a card's move form comes back to."""
    visit_url = UrlMaker("scheduling:visit_detail")
    move_url = UrlMaker("scheduling:visit_move")
    create_url = reverse("scheduling:visit_create")
    badges = _StatusBadges()
    next_query = quote(board_url, safe="/")
    unassigned_text = _("Unassigned")
    plan_here = _("Plan a visit: %(row)s, %(day)s")
    add_link = row_format(
        '<a class="board-add" href="{=create}?date={}{}" title="{=title}" aria-label="{}">+</a>',
        create=create_url,
        title=_("Plan a visit here"),
    )
    short_day = DateFormatter("D j M")
    day_text = {day: (short_day(day), day.isoformat(), day == today) for day in days}
    by_site = mode == BY_SITE

    # A card's URLs are its pk in fixed text: the visit's page, and the move form, which comes
    # back to this page (`next`). A card that can still move has the "Move" link.
    card_start = (
        '<div class="board-visit board-visit-{}{}" id="visit-card-{}">'
        '<a class="board-visit-main" href="{=visit_url}{}{=visit_end}">'
        '<span class="board-visit-time">{}</span> <span class="board-visit-who">{}</span></a> {}'
    )
    move_link = (
        ' <a class="board-visit-move small" href="{=move_url}{}{=move_end}" '
        'hx-get="{=move_url}{}{=move_end}" hx-target="#visit-card-{}" hx-swap="innerHTML">'
        "{=move}</a>"
    )
    constants = {
        "visit_url": visit_url.prefix,
        "visit_end": visit_url.suffix,
        "move_url": move_url.prefix,
        "move_end": f"{move_url.suffix}?next={next_query}",
        "move": _("Move"),
    }
    open_card = row_format(card_start + move_link + "</div>", **constants)
    # The same number of fields: the unused pks are dropped by str.format.
    closed_card = row_format(card_start + "</div>", **constants)

    def card(visit):
        if by_site:
            who = str(visit.assigned_to) if visit.assigned_to else unassigned_text
        else:
            who = visit.site.site_code
        return format_html(
            open_card if visit.is_open else closed_card,
            visit.status,
            "" if visit.assigned_to_id else " board-visit-unassigned",
            visit.pk,
            visit.pk,
            time_window(visit),
            who,
            badges[visit.status],
            visit.pk,
            visit.pk,
            visit.pk,
        )

    def cell(row, cell, add_query):
        label, iso_day, is_today = day_text[cell.day]
        add = ""
        if not row.unassigned:
            add = format_html(
                add_link, iso_day, add_query, plan_here % {"row": row.label, "day": label}
            )
        return format_html(
            '<td class="board-cell{}">{}{}</td>',
            " board-today" if is_today else "",
            join(card(visit) for visit in cell.visits),
            add,
        )

    def heading(row):
        if row.unassigned:
            return format_html('<span class="badge text-bg-warning">{}</span>', row.label)
        if row.site:
            return format_html('<a href="{}">{}</a>', row.site.get_absolute_url(), row.label)
        return row.label

    def board_row(row):
        if row.technician:
            add_query = f"&assigned_to={row.technician.pk}"
        elif row.site:
            add_query = f"&site={row.site.pk}"
        else:
            add_query = ""
        return format_html(
            '<tr class="{}"><th scope="row" class="board-rowhead">{}</th>{}</tr>\n',
            "board-unassigned" if row.unassigned else "",
            heading(row),
            join(cell(row, day_cell, add_query) for day_cell in row.cells),
        )

    return join(board_row(row) for row in rows)
