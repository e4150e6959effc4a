from django.urls import path

from sites import views

# Site codes are uppercase, so the lowercase words below can never shadow a site's URL.
app_name = "sites"
urlpatterns = [
    path("", views.ClientSiteListView.as_view(), name="site_list"),
    path("export.csv", views.ClientSiteExportView.as_view(), name="site_export"),
    path("new/", views.ClientSiteCreateView.as_view(), name="site_create"),
    path("<str:code>/", views.ClientSiteDetailView.as_view(), name="site_detail"),
    path("<str:code>/edit/", views.ClientSiteUpdateView.as_view(), name="site_update"),
    path(
        "<str:code>/deactivate/", views.ClientSiteDeactivateView.as_view(), name="site_deactivate"
    ),
    path(
        "<str:code>/reactivate/", views.ClientSiteReactivateView.as_view(), name="site_reactivate"
    ),
    path("<str:code>/delete/", views.ClientSiteDeleteView.as_view(), name="site_delete"),
    path("<str:code>/report/", views.ClientSiteReportView.as_view(), name="site_report"),
    path(
        "<str:code>/members/add/",
        views.SiteMembershipCreateView.as_view(),
        name="membership_create",
    ),
    path(
        "<str:code>/members/<int:pk>/remove/",
        views.SiteMembershipDeleteView.as_view(),
        name="membership_delete",
    ),
    path(
        "<str:code>/members/<int:pk>/grant/",
        views.SiteMembershipGrantView.as_view(),
        name="membership_grant",
    ),
]
