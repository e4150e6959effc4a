from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control


class RoleRequiredMiddleware:
    """A logged-in user without a role sees only the "waiting for access" page.

    Self-signed-up accounts land here until an administrator gives them a role.
    """

    ALLOWED_URL_NAMES = frozenset(
        {"waiting", "logout", "password_change", "password_change_done", "healthz"}
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.role is None:
            try:
                url_name = resolve(request.path_info).url_name
            except Resolver404:
                url_name = None
            if url_name not in self.ALLOWED_URL_NAMES:
                return redirect("waiting")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """No response to a logged-in user is kept by a shared proxy or replayed by the back button.

    Pages and CSV exports carry one user's data. A view that chose its own caching (inspection
    photos, the admin's never_cache) keeps it, made private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        authenticated = request.user.is_authenticated
        response = self.get_response(request)
        if authenticated:
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            else:
                response["Cache-Control"] = "private, no-store"
        return response
