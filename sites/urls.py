from django.urls import path, register_converter

from sites import views
from sites.models import normalise_site_code

# Site codes are uppercase, so the lowercase words below can never shadow a site's URL.


class SiteCodeConverter:
    """Site codes are letters, digits and dashes: anything else (a NUL byte, a slash) is a
    404 before it reaches the database. Views get the code normalised (`/sites/own/` is OWN)."""

    regex = "[A-Za-z0-9-]{1,16}"

    def to_python(self, value):
        return normalise_site_code(value)

    def to_url(self, value):
        return value


register_converter(SiteCodeConverter, "sitecode")

app_name = "sites"
urlpatterns = [
    path("", views.ClientSiteListView.as_view(), name="site_list"),
    path("export.csv", views.ClientSiteExportView.as_view(), name="site_export"),
    path("new/", views.ClientSiteCreateView.as_view(), name="site_create"),
    path("<sitecode:code>/", views.ClientSiteDetailView.as_view(), name="site_detail"),
    path("<sitecode:code>/edit/", views.ClientSiteUpdateView.as_view(), name="site_update"),
    path(
        "<sitecode:code>/deactivate/",
        views.ClientSiteDeactivateView.as_view(),
        name="site_deactivate",
    ),
    path(
        "<sitecode:code>/reactivate/",
        views.ClientSiteReactivateView.as_view(),
        name="site_reactivate",
    ),
    path("<sitecode:code>/delete/", views.ClientSiteDeleteView.as_view(), name="site_delete"),
    path("<sitecode:code>/report/", views.ClientSiteReportView.as_view(), name="site_report"),
    path(
        "<sitecode:code>/members/add/",
        views.SiteMembershipCreateView.as_view(),
        name="membership_create",
    ),
    path(
        "<sitecode:code>/members/<int:pk>/remove/",
        views.SiteMembershipDeleteView.as_view(),
        name="membership_delete",
    ),
    path(
        "<sitecode:code>/members/<int:pk>/grant/",
        views.SiteMembershipGrantView.as_view(),
        name="membership_grant",
    ),
]
