"""Stock items and their movement ledger over the API.

A quantity never changes by PATCH: it changes by POSTing a movement (restock, usage, count
correction) to the item's ledger, which goes through `inventory.services.stock_apply_movement`
(row lock, never below zero, attributed and timestamped) — the same path as the portal.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api.filters import SyncFilterSet
from api.gate import GatedViewSet
from api.pagination import StableCursorPagination
from api.rows import ValuesListMixin
from inventory import permissions, services
from inventory.filters import SupplyInventoryFilter
from inventory.models import MovementKind, StockMovement, SupplyInventory


class StockItemSerializer(serializers.ModelSerializer):
    site_code = serializers.CharField(source="site.site_code", read_only=True)
    is_low = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupplyInventory
        fields = [
            "id",
            "site",
            "site_code",
            "item_name",
            "sku",
            "category",
            "quantity_on_hand",
            "reorder_level",
            "par_level",
            "unit",
            "is_low",
            "last_restocked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(
        source="created_by.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "item",
            "kind",
            "quantity",
            "quantity_after",
            "note",
            "created_by",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = fields


class MovementCreateSerializer(serializers.Serializer):
    """Restock: how many arrived. Usage: how many were used. Count correction: how many are on
    the shelf now. The quantity is checked by the service (a number ≥ 0 with at most two
    places; never taking the item below zero)."""

    kind = serializers.ChoiceField(choices=MovementKind.choices)
    quantity = serializers.CharField(max_length=32)
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class StockItemApiFilter(SupplyInventoryFilter, SyncFilterSet):
    class Meta:
        model = SupplyInventory
        fields = []

    def filter_queryset(self, queryset):
        # `soon` and the `days_left` ordering read the forecast (a subquery per item): annotate
        # it when they are asked for, not on every list.
        data = self.form.cleaned_data
        if data.get("soon") or any("days_left" in name for name in data.get("ordering") or []):
            queryset = queryset.with_forecast()
        return super().filter_queryset(queryset)


class StockItemViewSet(
    ValuesListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet
):
    """Stock items at the sites the caller may see, and their ledgers."""

    queryset = SupplyInventory.objects.all()
    serializer_class = StockItemSerializer
    filterset_class = StockItemApiFilter
    required_permissions = {"*": "inventory.view_supplyinventory"}
    list_computed = {
        "is_low": (
            ("quantity_on_hand", "reorder_level"),
            lambda row: row["quantity_on_hand"] <= row["reorder_level"],
        )
    }

    def scope(self, queryset):
        return queryset.select_related("site").order_by("site__site_code", "item_name", "pk")

    def get_serializer_class(self):
        if self.action == "movements" and self.request.method == "POST":
            return MovementCreateSerializer
        if self.action == "movements":
            return StockMovementSerializer
        return StockItemSerializer

    @extend_schema(
        methods=["GET"],
        responses=StockMovementSerializer(many=True),
        description="The item's ledger, newest first (cursor pagination).",
    )
    @extend_schema(
        methods=["POST"],
        request=MovementCreateSerializer,
        responses={201: StockMovementSerializer},
        description=(
            "Record a movement. Restock needs the adjust-stock permission; usage and count "
            "corrections may also be recorded by technicians at their sites."
        ),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=StableCursorPagination,
        filterset_class=None,
    )
    def movements(self, request, pk=None):
        item = get_object_or_404(self.get_queryset(), pk=pk)
        if request.method == "GET":
            ledger = StockMovement.objects.filter(item=item).select_related("created_by")
            page = self.paginate_queryset(ledger)
            return self.get_paginated_response(StockMovementSerializer(page, many=True).data)
        serializer = MovementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        if not permissions.can_record_movement(request.user, item, kind):
            self.permission_denied(request)
        movement = services.stock_apply_movement(
            item=item,
            kind=kind,
            quantity=serializer.validated_data["quantity"],
            note=serializer.validated_data["note"],
            by=request.user,
        )
        return Response(StockMovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    def is_object_response(self, response):
        # A movement is a ledger line, not the item: no item ETag on it.
        return self.action != "movements" and super().is_object_response(response)
