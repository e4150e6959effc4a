from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.SiteInspectionLogListView.as_view(), name="inspection_list"),
    path("<int:pk>/", views.SiteInspectionLogDetailView.as_view(), name="inspection_detail"),
]
