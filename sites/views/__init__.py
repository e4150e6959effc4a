"""Client sites: create, edit, (de)activate and delete a site, and manage its members.

Rows come from `ClientSite.objects.for_user(user)` (out of scope: 404); what a user may do to a
visible site comes from `sites.permissions` (not allowed: 403).
"""

from sites.views.members import (
    SiteMembershipCreateView,
    SiteMembershipDeleteView,
    SiteMembershipGrantView,
)
from sites.views.site_pages import (
    ClientSiteCreateView,
    ClientSiteDeactivateView,
    ClientSiteDeleteView,
    ClientSiteReactivateView,
    ClientSiteUpdateView,
)

__all__ = [
    "ClientSiteCreateView",
    "ClientSiteDeactivateView",
    "ClientSiteDeleteView",
    "ClientSiteReactivateView",
    "ClientSiteUpdateView",
    "SiteMembershipCreateView",
    "SiteMembershipDeleteView",
    "SiteMembershipGrantView",
]
