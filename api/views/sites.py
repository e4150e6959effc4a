"""Client sites over the API: what the caller may see of them (a client: the summary only)."""

from rest_framework import mixins, serializers

from api.filters import SyncFilterSet
from api.gate import GatedViewSet
from sites import permissions
from sites.filters import ClientSiteFilter
from sites.models import ClientSite

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
        read_only_fields = fields

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


class SiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The sites the caller may see; ordered by name unless `ordering` says otherwise."""

    queryset = ClientSite.objects.all()
    serializer_class = SiteSerializer
    filterset_class = SiteApiFilter
    required_permissions = {"*": "sites.view_clientsite"}

    def scope(self, queryset):
        return queryset.order_by("site_name", "pk")
