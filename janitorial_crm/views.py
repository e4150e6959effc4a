from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, FormView, TemplateView

from janitorial_crm import services
from janitorial_crm.forms import SignUpConfirmForm, SignUpForm
from janitorial_crm.throttle import throttle_allows

User = get_user_model()


class ThrottledFormMixin:
    """Refuse a submission over its rate limit: status 429, the reason, and `form` again."""

    def throttled_response(self, form):
        messages.error(
            self.request,
            _("Too many requests from you or for this address. Please try again in an hour."),
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)


@method_decorator(login_not_required, name="dispatch")
class SignUpView(ThrottledFormMixin, FormView):
    """Sign-up, first step: every valid request ends on "check your e-mail", mail or no mail."""

    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("signup_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:dashboard")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not throttle_allows(self.request, action="signup", email=email):
            return self.throttled_response(form)
        services.signup_request(
            email=email,
            full_name=form.cleaned_data["full_name"],
            base_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class SignUpDoneView(TemplateView):
    template_name = "registration/signup_done.html"


@method_decorator(login_not_required, name="dispatch")
class SignUpConfirmView(ThrottledFormMixin, CreateView):
    """Sign-up, second step, from the e-mailed link: choose a username and password, log in."""

    form_class = SignUpConfirmForm
    template_name = "registration/signup_confirm.html"
    success_url = reverse_lazy("waiting")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:dashboard")
        self.details = services.signup_link_details(kwargs["token"])
        if self.details is None:
            return self.render_to_response({"validlink": False})
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return User(email=self.details["email"], full_name=self.details["full_name"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(validlink=True, email=self.details["email"], **kwargs)

    def post(self, request, *args, **kwargs):
        # The username field answers "taken", so a budget per client keeps it from being a probe;
        # a refused request gets the empty form back, never its validation.
        if not throttle_allows(request, action="signup-confirm"):
            self.object = None
            return self.throttled_response(self.form_class(instance=self.get_instance()))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        login(self.request, self.object, backend="janitorial_crm.backends.CachedPermissionsBackend")
        messages.success(self.request, _("Your account is created."))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(ThrottledFormMixin, auth_views.PasswordResetView):
    """Django's password reset with a budget per client and per address."""

    def form_valid(self, form):
        if not throttle_allows(
            self.request, action="password-reset", email=form.cleaned_data["email"]
        ):
            return self.throttled_response(form)
        return super().form_valid(form)


class WaitingView(TemplateView):
    template_name = "janitorial_crm/waiting.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.role is not None:
            return redirect("portal:dashboard")
        return super().dispatch(request, *args, **kwargs)


@login_not_required
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
