"""Visits and series over the API: read as the portal shows them, plan and edit through the
scheduling services, and change status only through actions (start, complete, cancel, note)
with the portal's transition rules."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import SyncFilterSet
from api.gate import GatedViewSet
from api.pagination import StableCursorPagination
from api.rows import ValuesListMixin
from janitorial_crm.validators import validate_business_date
from janitorial_crm.wall_clock import check_wall_clock
from scheduling import permissions, services
from scheduling.filters import VisitFilter
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from sites.models import ClientSite

User = get_user_model()
MANAGE = "scheduling.manage_visits"


class VisitSerializer(serializers.ModelSerializer):
    """A visit as the API shows it; written only through the services (see the viewset)."""

    site_code = serializers.CharField(source="site.site_code", read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.full_name", read_only=True, allow_null=True, default=None
    )
    is_overnight = serializers.BooleanField(read_only=True)

    class Meta:
        model = CleaningSchedule
        fields = [
            "id",
            "site",
            "site_code",
            "assigned_to",
            "assigned_to_name",
            "series",
            "service_date",
            "start_time",
            "end_time",
            "is_overnight",
            "frequency",
            "status",
            "notes",
            "started_at",
            "completed_at",
            "status_changed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VisitWriteSerializer(serializers.Serializer):
    """Plan a one-off visit (POST) or change one visit's plan (PATCH): planners only."""

    site = serializers.PrimaryKeyRelatedField(queryset=ClientSite.objects.none())
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    service_date = serializers.DateField(validators=[validate_business_date])
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    notes = serializers.CharField(allow_blank=True, required=False, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # (the schema generator builds it without one)
            self.fields["site"].queryset = ClientSite.objects.for_user(request.user).active()
            self.fields["assigned_to"].queryset = User.objects.active_technicians()

    def validate(self, data):
        errors = {}
        day, start, end = data["service_date"], data["start_time"], data["end_time"]
        for name, on_day, time in (
            ("start_time", day, start),
            ("end_time", day + dt.timedelta(days=1 if end < start else 0), end),
        ):
            try:
                check_wall_clock(on_day, time)
            except DjangoValidationError as error:
                errors[name] = error.messages
        if errors:
            raise serializers.ValidationError(errors)
        return data


class VisitNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class VisitApiFilter(VisitFilter, SyncFilterSet):
    class Meta:
        model = CleaningSchedule
        fields = []


class VisitViewSet(
    ValuesListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    GatedViewSet,
):
    """Visits the caller may see (a technician: their own; an inspector: at their sites)."""

    queryset = CleaningSchedule.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitApiFilter
    pagination_class = StableCursorPagination
    required_permissions = {
        "*": "scheduling.view_cleaningschedule",
        "create": MANAGE,
        "partial_update": MANAGE,
        "cancel": MANAGE,
        "start": "scheduling.change_visit_status",
        "complete": "scheduling.change_visit_status",
        "note": "scheduling.change_visit_status",
    }
    object_permissions = {
        "partial_update": permissions.can_edit,
        "cancel": permissions.can_cancel,
        "note": permissions.can_add_note,
        "start": lambda user, visit: permissions.can_transition(
            user, visit, VisitStatus.IN_PROGRESS
        ),
        "complete": lambda user, visit: permissions.can_transition(
            user, visit, VisitStatus.COMPLETED
        ),
    }

    list_computed = {
        "is_overnight": (
            ("start_time", "end_time"),
            lambda row: row["end_time"] < row["start_time"],
        )
    }

    def scope(self, queryset):
        return queryset.select_related("site", "assigned_to")

    @property
    def paginator(self):
        paginator = super().paginator
        if paginator is not None:
            paginator.ordering = ("service_date", "start_time", "id")
        return paginator

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return VisitWriteSerializer
        if self.action == "note":
            return VisitNoteSerializer
        return VisitSerializer

    def _answer(self, visit, code=status.HTTP_200_OK):
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data, code)

    @extend_schema(request=VisitWriteSerializer, responses={201: VisitSerializer})
    def create(self, request):
        data = self._valid(request.data)
        visit = services.visit_create(
            site=data["site"],
            assigned_to=data.get("assigned_to"),
            service_date=data["service_date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            notes=data.get("notes", ""),
            by=request.user,
        )
        return self._answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=VisitWriteSerializer, responses=VisitSerializer)
    def partial_update(self, request, pk=None):
        visit = self.get_object()
        current = {
            "site": visit.site_id,
            "assigned_to": visit.assigned_to_id,
            "service_date": visit.service_date,
            "start_time": visit.start_time,
            "end_time": visit.end_time,
            "notes": visit.notes,
        }
        data = self._valid({**current, **request.data})
        if data["site"].pk != visit.site_id:
            raise serializers.ValidationError(
                {"site": [_("A visit cannot move to another site; cancel it and plan a new one.")]}
            )
        services.visit_update(
            visit=visit,
            by=request.user,
            assigned_to=data.get("assigned_to"),
            service_date=data["service_date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            notes=data.get("notes"),
        )
        return self._answer(visit)

    def _valid(self, data):
        serializer = VisitWriteSerializer(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _move(self, to_status):
        visit = self.get_object()
        services.visit_transition(visit=visit, to_status=to_status, by=self.request.user)
        return self._answer(visit)

    @extend_schema(request=None, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start the visit (scheduled → in progress)."""
        return self._move(VisitStatus.IN_PROGRESS)

    @extend_schema(request=None, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete the visit (in progress → completed)."""
        return self._move(VisitStatus.COMPLETED)

    @extend_schema(request=None, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the visit (planners only)."""
        return self._move(VisitStatus.CANCELLED)

    @extend_schema(request=VisitNoteSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """Add a signed, timestamped line to the visit's notes."""
        visit = self.get_object()
        serializer = VisitNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.visit_add_note(
            visit=visit, by=request.user, text=serializer.validated_data["note"]
        )
        return self._answer(visit)


class SeriesSerializer(serializers.ModelSerializer):
    skip_dates = serializers.ListField(child=serializers.DateField(), required=False)

    class Meta:
        model = VisitSeries
        fields = [
            "id",
            "site",
            "assigned_to",
            "frequency",
            "first_date",
            "until",
            "start_time",
            "end_time",
            "skip_dates",
            "notes",
            "active",
            "materialised_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "active", "materialised_until", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "site" in self.fields:
            self.fields["site"].queryset = ClientSite.objects.for_user(request.user).active()
            self.fields["assigned_to"].queryset = User.objects.active_technicians()

    def validate_frequency(self, value):
        if value == Frequency.ONCE:
            raise serializers.ValidationError(_("A series repeats; plan a one-off as a visit."))
        return value


class SeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Recurring series: planners read and plan them; the visits they produce are /visits/."""

    queryset = VisitSeries.objects.all()
    serializer_class = SeriesSerializer
    filterset_class = None
    required_permissions = {"*": MANAGE}

    def scope(self, queryset):
        return queryset.order_by("-created_at", "-pk")

    @extend_schema(request=SeriesSerializer, responses={201: SeriesSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        series = services.series_create(
            site=data["site"],
            assigned_to=data.get("assigned_to"),
            frequency=data["frequency"],
            first_date=data["first_date"],
            until=data.get("until"),
            start_time=data["start_time"],
            end_time=data["end_time"],
            skip_dates=data.get("skip_dates", []),
            notes=data.get("notes", ""),
            by=request.user,
        )
        return Response(self.get_serializer(series).data, status=status.HTTP_201_CREATED)
