"""Client sites over the API: what the caller may see of them (a client: the summary only);
for coordinators, creating and editing sites, (de)activating them, and their members with the
client's inspection grant — all through `sites.services`, the portal's path."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import SyncFilterSet
from api.gate import GatedViewSet
from api.rows import ValuesListMixin
from sites import permissions, services
from sites.filters import ClientSiteFilter
from sites.forms import active_users_with_a_role, member_candidates
from sites.models import ClientSite, SiteMembership

# Company staff see these too; a client (facility manager) never does.
INTERNAL_FIELDS = ("instructions", "internal_notes", "primary_contact")


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientSite
        fields = [
            "id",
            "site_code",
            "site_name",
            "address",
            "client_name",
            "service_level",
            "active",
            "instructions",
            "internal_notes",
            "primary_contact",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "active", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The portal form's choices: an active user who has a role.
        self.fields["primary_contact"].queryset = active_users_with_a_role()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not permissions.can_see_internals(request.user, instance):
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        return data


class SiteApiFilter(ClientSiteFilter, SyncFilterSet):
    class Meta:
        model = ClientSite
        fields = []


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=member_candidates())
    user_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = SiteMembership
        fields = ["id", "user", "user_name", "can_see_inspections", "created_at"]
        read_only_fields = ["id", "user_name", "created_at"]


class GrantSerializer(serializers.Serializer):
    can_see_inspections = serializers.BooleanField()


class SiteViewSet(ValuesListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The sites the caller may see; ordered by name unless `ordering` says otherwise."""

    queryset = ClientSite.objects.all()
    serializer_class = SiteSerializer
    filterset_class = SiteApiFilter
    required_permissions = {
        "*": "sites.view_clientsite",
        "create": "sites.add_clientsite",
    }
    object_permissions = {
        "partial_update": permissions.can_change_site,
        "deactivate": permissions.can_change_site,
        "reactivate": permissions.can_change_site,
        "members": permissions.can_view_members,
        "member": permissions.can_manage_members,
    }

    def scope(self, queryset):
        return queryset.order_by("site_name", "pk")

    def list_dropped_fields(self):
        # SiteSerializer.to_representation's rule (it does not depend on the site).
        return () if permissions.can_see_internals(self.request.user) else INTERNAL_FIELDS

    def get_serializer_class(self):
        if self.action == "members":
            return MembershipSerializer
        if self.action == "member":
            return GrantSerializer
        return SiteSerializer

    @extend_schema(request=SiteSerializer, responses={201: SiteSerializer})
    def create(self, request):
        serializer = SiteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        site = services.site_create(site=ClientSite(**serializer.validated_data))
        return Response(self._represent(site), status=status.HTTP_201_CREATED)

    @extend_schema(request=SiteSerializer, responses=SiteSerializer)
    def partial_update(self, request, pk=None):
        site = self.get_object()
        serializer = SiteSerializer(
            site, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(site, name, value)
        services.site_update(site=site)
        return Response(self._represent(site))

    def _represent(self, site):
        return SiteSerializer(site, context=self.get_serializer_context()).data

    @extend_schema(request=None, responses=SiteSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Take the site out of planning; it stays in the history."""
        return Response(self._represent(services.site_deactivate(site=self.get_object())))

    @extend_schema(request=None, responses=SiteSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Plan the site again."""
        return Response(self._represent(services.site_reactivate(site=self.get_object())))

    @extend_schema(methods=["GET"], responses=MembershipSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MembershipSerializer, responses={201: MembershipSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def members(self, request, pk=None):
        """The site's staff and client members; a POST (members managers) adds one."""
        site = self.get_object()
        if request.method == "GET":
            rows = site.memberships.select_related("user").order_by("user__full_name", "pk")
            return Response(MembershipSerializer(rows, many=True).data)
        if not permissions.can_manage_members(request.user, site):
            self.permission_denied(request)
        serializer = MembershipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(
            membership=SiteMembership(site=site, **serializer.validated_data)
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["PATCH"], request=GrantSerializer, responses=MembershipSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"members/(?P<membership_id>[^/]+)",
        pagination_class=None,
        filterset_class=None,
    )
    def member(self, request, pk=None, membership_id=None):
        """Set a client member's inspection grant (PATCH) or take a member off (DELETE)."""
        site = self.get_object()
        if not str(membership_id).isdigit():
            raise Http404
        membership = get_object_or_404(site.memberships.select_related("user"), pk=membership_id)
        if request.method == "DELETE":
            services.membership_remove(membership=membership)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = GrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membership_grant_set(
            membership=membership, granted=serializer.validated_data["can_see_inspections"]
        )
        return Response(MembershipSerializer(membership).data)

    def is_object_response(self, response):
        # A membership is not the site: no site ETag on it.
        return self.action not in ("members", "member") and super().is_object_response(response)
