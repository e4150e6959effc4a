"""The small scoping layer every portal view stands on.

`ScopedQuerysetMixin` starts every queryset from `Model.objects.for_user(request.user)`, so an
object outside the user's scope is a 404 from `get_object()`. `PermissionRequiredMixin` answers
403 to a logged-in user who lacks the model permission (anonymous users never get this far:
LoginRequiredMiddleware sends them to the login page).
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django_filters.views import FilterView


class ScopedQuerysetMixin:
    """Views whose rows come from `model.objects.for_user(user)`."""

    def get_scoped_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_queryset(self):
        return self.get_scoped_queryset()


class PortalPermissionMixin(PermissionRequiredMixin):
    """Model permission check: 403 for a logged-in user without it."""

    raise_exception = True


class ObjectPermissionMixin:
    """In-scope object, but this user may not do this to it: 403.

    Subclasses set `object_permission` to a predicate `(user, obj) -> bool` from the app's
    `permissions` module.
    """

    object_permission = None

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        predicate = type(self).object_permission
        if predicate is not None and not predicate(self.request.user, obj):
            raise PermissionDenied
        return obj


class ScopedListView(ScopedQuerysetMixin, PortalPermissionMixin, FilterView):
    """A paginated, filtered list of the rows the user may see."""

    paginate_by = 25
    strict = False

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context
