"""The API's list endpoints without per-object serializer overhead.

A list of 100 visits through a ModelSerializer builds 100 model instances (and their related
site and assignee), then walks every field of every row through `get_attribute`. A list only
needs the values: `RowSerializer` reads the serializer's own field declarations once, asks the
database for exactly those columns with `values()`, and turns each row into the same output,
field by field, through the same DRF fields' `to_representation` (dates, times and moments in
the company's zone, decimals, choices): the JSON is byte for byte what the serializer gives
(tests/api/test_list_rows.py compares both). What a serializer computes in Python (a model
property such as `is_overnight`) the viewset names in `list_computed`, with the columns it
reads; what it nests (an inspection's photos) in `list_nested`, filled with one query a page.

The one object endpoints (detail, create, actions) keep the serializers.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

# A value a serializer computes from a row: (the columns it reads, row -> value).
Computed = tuple[Sequence[str], Callable[[Mapping[str, Any]], Any]]
# A nested list a serializer adds to each row: (rows of the page) -> {row id: its output}.
Nested = Callable[[Sequence[Mapping[str, Any]], Mapping[str, Any]], Mapping[Any, Any]]


class RowSerializer:
    """`serializer_class`'s output for `values()` rows (see the module docstring)."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer],
        *,
        context: Mapping[str, Any],
        computed: Mapping[str, Computed] | None = None,
        nested: Mapping[str, Nested] | None = None,
        drop: Iterable[str] = (),
    ) -> None:
        computed, nested, dropped = computed or {}, nested or {}, set(drop)
        self.context = context
        self.nested = nested
        # (output name, key in the row, field's to_representation or None for a raw id)
        self.columns: list[tuple[str, str, Any]] = []
        paths: dict[str, None] = {"id": None}
        fields = serializer_class(context=context).fields
        for name, field in fields.items():
            if field.write_only or name in dropped or name in nested:
                continue
            if name in computed:
                reads, _function = computed[name]
                paths.update(dict.fromkeys(reads))
                self.columns.append((name, name, field.to_representation))
            elif isinstance(field, serializers.PrimaryKeyRelatedField):
                if field.pk_field is not None:
                    raise TypeError(f"{name}: a pk_field is not supported here")
                path = "__".join(field.source_attrs)
                paths[path] = None
                self.columns.append((name, path, None))
            elif isinstance(field, serializers.Serializer | serializers.ListSerializer):
                raise TypeError(f"{name}: a nested serializer needs list_nested")
            else:
                path = "__".join(field.source_attrs)
                paths[path] = None
                self.columns.append((name, path, field.to_representation))
        self.paths = list(paths)
        self.computed = {name: function for name, (_reads, function) in computed.items()}
        self.order = [name for name in fields if name not in dropped]

    def values(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values(*self.paths)

    def represent(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        nested = {name: build(rows, self.context) for name, build in self.nested.items()}
        computed, columns, order = self.computed, self.columns, self.order
        out = []
        for row in rows:
            values = dict(row)
            for name, function in computed.items():
                values[name] = function(row)
            data: dict[str, Any] = {}
            for name, key, to_representation in columns:
                value = values[key]
                # As Serializer.to_representation: a null stays null, whatever the field.
                data[name] = (
                    value
                    if value is None or to_representation is None
                    else to_representation(value)
                )
            for name, by_id in nested.items():
                data[name] = by_id.get(row["id"], [])
            # The serializer's field order (nested fields sit among the others).
            out.append(data if not nested else {name: data[name] for name in order})
        return out


class ValuesListMixin:
    """A viewset whose `list` answers from `values()` rows through a `RowSerializer`.

    `list_computed` / `list_nested` as in RowSerializer; `list_dropped_fields()` names the fields
    the caller may not see (the same rule as the serializer's `to_representation`)."""

    list_computed: Mapping[str, Computed] = {}
    list_nested: Mapping[str, Nested] = {}
    request: Request

    def list_dropped_fields(self) -> Iterable[str]:
        return ()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self  # a GenericViewSet: filter_queryset, paginate_queryset and the rest
        rows = RowSerializer(
            view.get_serializer_class(),
            context=view.get_serializer_context(),
            computed=self.list_computed,
            nested=self.list_nested,
            drop=self.list_dropped_fields(),
        )
        queryset = rows.values(view.filter_queryset(view.get_queryset()))
        page = view.paginate_queryset(queryset)
        if page is not None:
            return view.get_paginated_response(rows.represent(page))
        return Response(rows.represent(list(queryset)))
