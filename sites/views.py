from django.views.generic import DetailView

from janitorial_crm.mixins import PortalPermissionMixin, ScopedListView, ScopedQuerysetMixin
from sites.models import ClientSite


class ClientSiteListView(ScopedListView):
    model = ClientSite
    permission_required = "sites.view_clientsite"
    filterset_fields = []


class ClientSiteDetailView(ScopedQuerysetMixin, PortalPermissionMixin, DetailView):
    model = ClientSite
    permission_required = "sites.view_clientsite"
    slug_field = "site_code"
    slug_url_kwarg = "code"
