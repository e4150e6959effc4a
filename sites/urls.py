from django.urls import path

from sites import views

app_name = "sites"
urlpatterns = [
    path("", views.ClientSiteListView.as_view(), name="site_list"),
    path("<str:code>/", views.ClientSiteDetailView.as_view(), name="site_detail"),
]
