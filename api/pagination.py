"""Pagination: page numbers for the short lists, cursors for the big, growing ones.

Both take `page_size` (default API_PAGE_SIZE = 100, at most API_MAX_PAGE_SIZE = 200). A cursor
stays stable while rows are added, which is what incremental sync needs.
"""

from rest_framework.pagination import CursorPagination, PageNumberPagination

API_PAGE_SIZE = 100
API_MAX_PAGE_SIZE = 200


class PagePagination(PageNumberPagination):
    page_size = API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = API_MAX_PAGE_SIZE


class StableCursorPagination(CursorPagination):
    """Newest first by default; the viewset names its ordering (ending in a unique column)."""

    page_size = API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = API_MAX_PAGE_SIZE
    ordering = ("-created_at", "-pk")
