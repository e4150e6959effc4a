from django.urls import path

from inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.SupplyInventoryListView.as_view(), name="item_list"),
    path("low/", views.SupplyInventoryListView.as_view(), name="low_stock"),
    path("<int:pk>/", views.SupplyInventoryDetailView.as_view(), name="item_detail"),
]
