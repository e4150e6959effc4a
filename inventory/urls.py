from django.urls import path

from inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.SupplyInventoryListView.as_view(), name="item_list"),
    path("export.csv", views.SupplyInventoryExportView.as_view(), name="item_export"),
    path("low/", views.LowStockListView.as_view(), name="low_stock"),
    path("new/", views.SupplyInventoryCreateView.as_view(), name="item_create"),
    path("<int:pk>/", views.SupplyInventoryDetailView.as_view(), name="item_detail"),
    path("<int:pk>/edit/", views.SupplyInventoryUpdateView.as_view(), name="item_update"),
    path("<int:pk>/move/", views.StockMovementCreateView.as_view(), name="movement_create"),
    path("site/<int:pk>/usage/", views.SiteStockUsageView.as_view(), name="site_usage"),
    path("site/<int:pk>/count/", views.SiteStockCountView.as_view(), name="site_count"),
]
