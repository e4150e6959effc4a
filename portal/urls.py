from django.urls import path

from portal.views.dashboard import DashboardView
from portal.views.nav import LowStockBadgeView
from portal.views.report import ClientSiteReportView
from portal.views.sites import ClientSiteDetailView, ClientSiteExportView, ClientSiteListView
from sites.converters import register_site_code

register_site_code()

app_name = "portal"
urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("nav/low-stock-badge/", LowStockBadgeView.as_view(), name="low_stock_badge"),
    path("sites/", ClientSiteListView.as_view(), name="site_list"),
    path("sites/export.csv", ClientSiteExportView.as_view(), name="site_export"),
    path("sites/<sitecode:code>/", ClientSiteDetailView.as_view(), name="site_detail"),
    path("sites/<sitecode:code>/report/", ClientSiteReportView.as_view(), name="site_report"),
]
