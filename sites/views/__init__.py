"""Client sites: the office's list and hub, the client portal's site pages, and membership.

Rows come from `ClientSite.objects.for_user(user)` (out of scope: 404); what a user may do to a
visible site comes from `sites.permissions` (not allowed: 403).
"""

from sites.views.members import (
    SiteMembershipCreateView,
    SiteMembershipDeleteView,
    SiteMembershipGrantView,
)
from sites.views.report import ClientSiteReportView
from sites.views.site_pages import (
    ClientSiteCreateView,
    ClientSiteDeactivateView,
    ClientSiteDeleteView,
    ClientSiteDetailView,
    ClientSiteExportView,
    ClientSiteListView,
    ClientSiteReactivateView,
    ClientSiteUpdateView,
)

__all__ = [
    "ClientSiteCreateView",
    "ClientSiteDeactivateView",
    "ClientSiteDeleteView",
    "ClientSiteDetailView",
    "ClientSiteExportView",
    "ClientSiteListView",
    "ClientSiteReactivateView",
    "ClientSiteReportView",
    "ClientSiteUpdateView",
    "SiteMembershipCreateView",
    "SiteMembershipDeleteView",
    "SiteMembershipGrantView",
]
