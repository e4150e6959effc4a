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
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            # Views that do their own authentication (login_not_required: the public pages
            # and the API, which answers 403 in its own format) are left to it.
            allowed = match is not None and (
                match.url_name in self.ALLOWED_URL_NAMES
                or not getattr(match.func, "login_required", True)
            )
            if not allowed:
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
