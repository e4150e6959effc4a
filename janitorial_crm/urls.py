from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from janitorial_crm import views
from janitorial_crm.auth_forms import AdminLoginForm, LoginForm

admin.site.site_header = "Janitorial CRM administration"
admin.site.site_title = "Janitorial CRM admin"
admin.site.login_form = AdminLoginForm

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/sent/", views.SignUpDoneView.as_view(), name="signup_done"),
    path("signup/<str:token>/", views.SignUpConfirmView.as_view(), name="signup_confirm"),
    path("waiting/", views.WaitingView.as_view(), name="waiting"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        login_not_required(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include(auth_patterns)),
    path("live/", include("live.urls")),
    path("pickers/", include("pickers.urls")),
    # Before portal's pages: sites' own words ("new/") must win over a site code.
    path("sites/", include("sites.urls")),
    path("", include("portal.urls")),
    path("visits/", include("scheduling.urls")),
    path("stock/", include("inventory.urls")),
    path("inspections/", include("inspections.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "janitorial_crm.errors.bad_request"
handler403 = "janitorial_crm.errors.permission_denied"
handler404 = "janitorial_crm.errors.page_not_found"
handler500 = "janitorial_crm.errors.server_error"
