from django.urls import path

from sites import views
from sites.converters import register_site_code

# The root URLconf includes these before portal's site pages, so "new/" is never read as a
# site code.
register_site_code()

app_name = "sites"
urlpatterns = [
    path("new/", views.ClientSiteCreateView.as_view(), name="site_create"),
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
