"""How many rows a list page shows: `?per_page=` 25, 50 or 100.

One rule for every paginated page: a value other than the offered ones (junk, 0, 1000, "50.0")
is ignored and the page shows its default, never an error. The choice travels with the page:
the pagination links keep the query string, the per-page selector keeps the filters, and the
filter form keeps the choice (templates/includes/_filter_form.html writes a hidden `per_page`
input when the choice is not the default, so default URLs stay as they were; it is no filter,
so the FilterSet never sees it).
"""

from typing import Any

from django.http import HttpRequest

PER_PAGE_PARAM = "per_page"
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 25


def per_page(request: HttpRequest, default: int = DEFAULT_PER_PAGE) -> int:
    """The page size the request asks for, if it is one of PER_PAGE_CHOICES, else `default`."""
    value = request.GET.get(PER_PAGE_PARAM, "")
    # ASCII digits only: int() would also take " 50", "5_0" and non-ASCII digits.
    if value.isascii() and value.isdigit() and int(value) in PER_PAGE_CHOICES:
        return int(value)
    return default


def per_page_context(request: HttpRequest, size: int, default: int = DEFAULT_PER_PAGE) -> dict:
    """What templates/includes/_pagination.html needs to draw the per-page selector: the
    choices, the current size, and the query string without page and per_page (kept in the
    selector's hidden fields, so changing the size keeps the filters and starts at page 1)."""
    kept = request.GET.copy()
    for name in ("page", PER_PAGE_PARAM):
        kept.pop(name, None)
    return {
        "per_page": size,
        "per_page_choices": PER_PAGE_CHOICES,
        "per_page_default": default,
        "per_page_hidden": [(name, value) for name, values in kept.lists() for value in values],
    }


class PerPageMixin:
    """A ListView (or FilterView) whose page size comes from `?per_page=`."""

    request: HttpRequest
    paginate_by: int | None = DEFAULT_PER_PAGE

    def get_paginate_by(self, queryset: Any) -> int:
        return per_page(self.request, self.paginate_by or DEFAULT_PER_PAGE)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        default = self.paginate_by or DEFAULT_PER_PAGE
        context.update(per_page_context(self.request, per_page(self.request, default), default))
        if "querystring" not in context:  # the pagination links keep per_page and the rest
            query = self.request.GET.copy()
            query.pop("page", None)
            context["querystring"] = query.urlencode()
        return context
