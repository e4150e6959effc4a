"""A site as the office and the client see it, composed from every app: the site list (with
its stock and inspection columns) and its CSV export, and one site's page — the hub for staff
(this week's visits, low stock, inspections, open actions, members), the summary page for a
client. The sections come from each app's template tags; the site's own pieces (members,
actions) from `sites`."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from janitorial_crm.csv_export import csv_response
from janitorial_crm.live_pages import EVENT_TYPES, LiveRegionsMixin
from janitorial_crm.mixins import ScopedDetailView, ScopedListView
from portal.filters import OperationsSiteFilter
from portal.rows import site_rows
from portal.site_queries import with_last_inspection, with_low_stock_count
from sites import permissions
from sites.filters import ClientSiteFilter
from sites.models import ClientSite
from sites.views.site_pages import BySiteCode, members_context


class SiteListMixin:
    """The filtered site list shared by the page and its CSV export."""

    model = ClientSite
    permission_required = "sites.view_clientsite"

    def can_see_internals(self):
        return permissions.can_see_internals(self.request.user)

    def get_filterset_class(self):
        return OperationsSiteFilter if self.can_see_internals() else ClientSiteFilter

    def get_queryset(self):
        queryset = super().get_queryset().select_related("primary_contact")
        if self.can_see_internals():
            queryset = with_last_inspection(with_low_stock_count(queryset))
        return queryset.order_by("site_name", "pk")


class ClientSiteListView(SiteListMixin, ScopedListView):
    template_name = "portal/sites/clientsite_list.html"
    # The columns the rows show; the annotations (low stock, last inspection) come on top.
    list_columns = ("site_code", "site_name", "client_name", "service_level", "address", "active")

    def get_queryset(self):
        return super().get_queryset().select_related(None).only(*self.list_columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_see_internals"] = self.can_see_internals()
        context["can_create"] = permissions.can_create_site(user)
        context["can_export"] = permissions.can_export_sites(user)
        context["rows"] = site_rows(
            context["object_list"], can_see_internals=context["can_see_internals"]
        )
        return context


class ClientSiteExportView(SiteListMixin, ScopedListView):
    """The filtered list as CSV, every matching row (no pagination)."""

    def has_permission(self):
        return permissions.can_export_sites(self.request.user)

    def can_see_internals(self):
        return True  # only office users get here (can_export_sites)

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        sites = filterset.qs
        header = [
            _("Code"),
            _("Name"),
            _("Client"),
            _("Service level"),
            _("Address"),
            _("Active"),
            _("Primary contact"),
            _("Low-stock items"),
            _("Last inspection"),
        ]

        def rows():
            for site in sites.iterator(chunk_size=500):
                last = site.last_inspected_at
                yield [
                    site.site_code,
                    site.site_name,
                    site.client_name,
                    site.get_service_level_display(),
                    " ".join(site.address.split()),
                    _("yes") if site.active else _("no"),
                    site.primary_contact or "",
                    site.low_stock_count,
                    timezone.localtime(last).date().isoformat() if last else "",
                ]

        stamp = timezone.localdate().isoformat()
        return csv_response(filename=f"sites-{stamp}.csv", header=header, rows=rows())


# The live regions of the site hub (staff) and of the client's site page: {id: template}.
HUB_REGIONS = {
    "hub-week-visits": "portal/sites/includes/_hub_week_visits.html",
    "hub-open-actions": "portal/sites/includes/_hub_open_actions.html",
    "hub-low-stock": "portal/sites/includes/_hub_low_stock.html",
    "hub-inspections": "portal/sites/includes/_hub_inspections.html",
}
CLIENT_REGIONS = {"portal-visit-log": "portal/sites/includes/_portal_visit_log.html"}
CLIENT_INSPECTION_REGIONS = {"portal-inspections": "portal/sites/includes/_portal_inspections.html"}


class ClientSiteDetailView(LiveRegionsMixin, BySiteCode, ScopedDetailView):
    """The site hub for staff; the same URL is the client's portal page, without internals.

    Live: each section redraws itself on its own events, this site's only (the stream's
    `site`); a client listens only to what their page shows."""

    permission_required = "sites.view_clientsite"

    @cached_property
    def sees_internals(self):
        return permissions.can_see_internals(self.request.user, self.object)

    @cached_property
    def can_see_inspections(self):
        return permissions.can_see_inspections(self.request.user, self.object)

    def get_queryset(self):
        return super().get_queryset().select_related("primary_contact")

    def get_template_names(self):
        """A region's partial when one is asked for (LiveRegionsMixin), else this user's page."""
        if self.get_live_region() is not None:
            return super().get_template_names()
        if self.sees_internals:
            return ["portal/sites/clientsite_detail.html"]
        return ["portal/sites/clientsite_portal.html"]

    def get_live_types(self):
        if self.sees_internals:
            return EVENT_TYPES
        return ("visit", "inspection", "action") if self.can_see_inspections else ("visit",)

    def get_live_site(self):
        return self.object.pk

    def get_live_regions(self):
        if self.sees_internals:
            return HUB_REGIONS
        if self.can_see_inspections:
            return CLIENT_REGIONS | CLIENT_INSPECTION_REGIONS
        return CLIENT_REGIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, site = self.request.user, self.object
        context["can_see_inspections"] = self.can_see_inspections
        if self.get_live_region() is not None:
            return context  # a section needs the site and the user only
        can_change = permissions.can_change_site(user, site)
        context.update(
            can_change=can_change,
            can_delete=permissions.can_delete_site(user, site) and not site.has_history(),
        )
        context.update(members_context(self.request, site))
        return context
