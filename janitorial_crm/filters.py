"""Filters shared by the apps' FilterSets."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilter(django_filters.CharFilter):
    """`?q=`: rows where any of `search_fields` contains the text (case-insensitive)."""

    def __init__(self, *, search_fields, **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)
        self.search_fields = tuple(search_fields)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        terms = Q()
        for field in self.search_fields:
            terms |= Q(**{f"{field}__icontains": value})
        return qs.filter(terms)
