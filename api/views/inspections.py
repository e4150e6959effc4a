"""Inspections over the API: filed with photos (multipart) through the same photo pipeline and
service as the phone form, corrective actions resolved through the same service, and a client
shown exactly what the portal shows them (no internal notes, no inspector)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.filters import SyncFilterSet
from api.gate import GatedViewSet
from api.pagination import StableCursorPagination
from api.rows import ValuesListMixin
from inspections import permissions, services
from inspections.filters import InspectionFilter
from inspections.models import InspectionPhoto, SiteInspectionLog
from inspections.photos import MAX_PHOTOS_PER_UPLOAD, process_photo
from inspections.views import photo_response
from janitorial_crm.wall_clock import WallClockDateTimeField
from scheduling.models import CleaningSchedule
from sites.models import ClientSite

# What a client never gets, even by asking for it.
STAFF_ONLY_FIELDS = ("inspector", "inspector_name", "internal_notes", "resolved_by")


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "kind", "width", "height", "url", "thumbnail_url"]

    def _absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, photo) -> str:
        return self._absolute(reverse("api:v1:photo-detail", args=[photo.pk]))

    def get_thumbnail_url(self, photo) -> str:
        url = reverse("api:v1:photo-detail", args=[photo.pk])
        return self._absolute(f"{url}?variant=thumb")


class InspectionSerializer(serializers.ModelSerializer):
    site_code = serializers.CharField(source="site.site_code", read_only=True)
    inspector_name = serializers.CharField(
        source="inspector.full_name", read_only=True, allow_null=True, default=None
    )
    has_open_actions = serializers.BooleanField(read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = SiteInspectionLog
        fields = [
            "id",
            "site",
            "site_code",
            "schedule",
            "inspector",
            "inspector_name",
            "inspection_date",
            "score",
            "findings",
            "corrective_actions",
            "has_open_actions",
            "internal_notes",
            "resolved_at",
            "resolved_by",
            "resolution_note",
            "photos",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not permissions.can_view_internal(request.user):
            for name in STAFF_ONLY_FIELDS:
                data.pop(name, None)
        return data


class PhotosField(serializers.ListField):
    """Zero or more uploads, each validated and re-encoded by the photo pipeline."""

    child = serializers.FileField(allow_empty_file=True)

    def to_internal_value(self, data):
        uploads = super().to_internal_value(data)
        if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
            raise serializers.ValidationError(
                _("Send at most %(max)d photos at a time.") % {"max": MAX_PHOTOS_PER_UPLOAD}
            )
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(process_photo(upload))
            except DjangoValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise serializers.ValidationError(errors)
        return processed


class InspectionCreateSerializer(serializers.Serializer):
    """File an inspection (multipart/form-data when it has photos). The inspector is the caller;
    `inspection_date` defaults to now and reads wall-clock times like the phone form."""

    site = serializers.PrimaryKeyRelatedField(queryset=ClientSite.objects.none())
    schedule = serializers.PrimaryKeyRelatedField(
        queryset=CleaningSchedule.objects.none(), required=False, allow_null=True
    )
    inspection_date = serializers.DateTimeField(required=False)
    score = serializers.IntegerField(min_value=0, max_value=100)
    findings = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    corrective_actions = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    internal_notes = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    photos = PhotosField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # (the schema generator builds it without one)
            self.fields["site"].queryset = ClientSite.objects.for_user(request.user)
            self.fields["schedule"].queryset = CleaningSchedule.objects.for_user(request.user)

    def validate_inspection_date(self, value):
        return WallClockDateTimeField(required=False).clean(value)


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)
    photo = serializers.FileField(required=False, allow_empty_file=True)

    def validate_photo(self, upload):
        try:
            return process_photo(upload) if upload else None
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class InspectionApiFilter(InspectionFilter, SyncFilterSet):
    class Meta:
        model = SiteInspectionLog
        fields = []


def _photos_of(rows, context):
    """The `photos` of a page of inspections, as InspectionSerializer nests them: one query."""
    by_log = {}
    for photo in InspectionPhoto.objects.filter(log_id__in=[row["id"] for row in rows]):
        by_log.setdefault(photo.log_id, []).append(photo)
    return {
        log_id: PhotoSerializer(photos, many=True, context=context).data
        for log_id, photos in by_log.items()
    }


class InspectionViewSet(
    ValuesListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet
):
    """Inspections the caller may see (a client: at their sites, where granted)."""

    queryset = SiteInspectionLog.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = InspectionApiFilter
    pagination_class = StableCursorPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    required_permissions = {
        "*": "inspections.view_siteinspectionlog",
        "create": "inspections.add_siteinspectionlog",
        "resolve": "inspections.resolve_corrective_action",
    }
    object_permissions = {"resolve": permissions.can_resolve}
    list_computed = {
        "has_open_actions": (
            ("corrective_actions", "resolved_at"),
            lambda row: row["corrective_actions"] != "" and row["resolved_at"] is None,
        )
    }
    list_nested = {"photos": _photos_of}

    def list_dropped_fields(self):
        # InspectionSerializer.to_representation's rule.
        return () if permissions.can_view_internal(self.request.user) else STAFF_ONLY_FIELDS

    def scope(self, queryset):
        return queryset.select_related("site", "inspector").prefetch_related("photos")

    @property
    def paginator(self):
        paginator = super().paginator
        if paginator is not None:
            paginator.ordering = ("-inspection_date", "-id")
        return paginator

    def get_serializer_class(self):
        return {"create": InspectionCreateSerializer, "resolve": ResolveSerializer}.get(
            self.action, InspectionSerializer
        )

    def _answer(self, log, code=status.HTTP_200_OK):
        log = self.get_queryset().get(pk=log.pk)
        return Response(InspectionSerializer(log, context=self.get_serializer_context()).data, code)

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request):
        serializer = InspectionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not permissions.can_create_at(request.user, data["site"]):
            self.permission_denied(request)
        log = services.inspection_create(
            site=data["site"],
            inspector=request.user,
            schedule=data.get("schedule"),
            inspection_date=data.get("inspection_date"),
            score=data["score"],
            findings=data.get("findings", ""),
            corrective_actions=data.get("corrective_actions", ""),
            internal_notes=data.get("internal_notes", ""),
            photos=data.get("photos", []),
        )
        return self._answer(log, status.HTTP_201_CREATED)

    @extend_schema(request=ResolveSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close the inspection's corrective actions: what was done, and an optional photo."""
        log = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.corrective_action_resolve(
            log=log,
            by=request.user,
            note=serializer.validated_data["note"],
            photo=serializer.validated_data.get("photo"),
        )
        return self._answer(log)


class PhotoViewSet(GatedViewSet):
    """An inspection photo's file, for those who may see its inspection (the portal's rule)."""

    queryset = InspectionPhoto.objects.all()
    serializer_class = PhotoSerializer
    required_permissions = {"*": "inspections.view_siteinspectionlog"}

    @extend_schema(
        parameters=[
            OpenApiParameter("variant", str, enum=["full", "thumb"], description="thumb: small")
        ],
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def retrieve(self, request, pk=None):
        return photo_response(
            self.get_object(), thumbnail=request.query_params.get("variant") == "thumb"
        )
