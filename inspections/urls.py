from django.urls import path, re_path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.SiteInspectionLogListView.as_view(), name="inspection_list"),
    path("new/", views.SiteInspectionLogCreateView.as_view(), name="inspection_create"),
    path("visit-options/", views.VisitOptionsView.as_view(), name="visit_options"),
    path("<int:pk>/", views.SiteInspectionLogDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/edit/", views.SiteInspectionLogUpdateView.as_view(), name="inspection_update"),
    path(
        "<int:pk>/resolve/",
        views.SiteInspectionLogResolveView.as_view(),
        name="inspection_resolve",
    ),
    # The only route to a photo's bytes: permission-checked (MEDIA_URL is never routed).
    re_path(
        r"^photos/(?P<pk>[0-9]+)/(?P<variant>thumb|full)/$",
        views.InspectionPhotoView.as_view(),
        name="photo",
    ),
]
