"""/api/: the token page (portal, HTML) and the REST API under /api/v1/.

Every /api/v1/ view authenticates itself (token or session) and answers 401/403 in the API's
error format, so the portal's LoginRequiredMiddleware (a redirect to the login page) is
switched off for them.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views.inspections import InspectionViewSet, PhotoViewSet
from api.views.me import MeView
from api.views.sites import SiteViewSet
from api.views.stock import StockItemViewSet
from api.views.tokens import ApiTokenListView, ApiTokenRevokeView
from api.views.visits import SeriesViewSet, VisitViewSet
from api.webhooks import views as webhooks

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.include_format_suffixes = False  # JSON only: no ".json" twins of every route
router.register("sites", SiteViewSet, basename="site")
router.register("visits", VisitViewSet, basename="visit")
router.register("series", SeriesViewSet, basename="series")
router.register("stock-items", StockItemViewSet, basename="stock-item")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("photos", PhotoViewSet, basename="photo")


def _public(patterns):
    """The API's own auth answers; the portal's login redirect must not."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


v1 = _public(
    [
        path("me/", MeView.as_view(), name="me"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:v1:schema"), name="docs"),
        *router.urls,
    ]
)

urlpatterns = [
    path("tokens/", ApiTokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("webhooks/", webhooks.WebhookEndpointListView.as_view(), name="webhook_list"),
    path("webhooks/new/", webhooks.WebhookEndpointCreateView.as_view(), name="webhook_create"),
    path("webhooks/<int:pk>/", webhooks.WebhookEndpointDetailView.as_view(), name="webhook_detail"),
    path(
        "webhooks/<int:pk>/edit/",
        webhooks.WebhookEndpointUpdateView.as_view(),
        name="webhook_update",
    ),
    path(
        "webhooks/<int:pk>/pause/",
        webhooks.WebhookEndpointPauseView.as_view(),
        name="webhook_pause",
    ),
    path(
        "webhooks/<int:pk>/resume/",
        webhooks.WebhookEndpointResumeView.as_view(),
        name="webhook_resume",
    ),
    path(
        "webhooks/<int:pk>/delete/",
        webhooks.WebhookEndpointDeleteView.as_view(),
        name="webhook_delete",
    ),
    path("v1/", include((v1, "v1"))),
]
