"""The small scoping layer every portal view stands on.

`ScopedQuerysetMixin` starts every queryset from `Model.objects.for_user(request.user)`, so an
object outside the user's scope is a 404. `PortalPermissionMixin` answers 403 to a logged-in user
who lacks the model permission (anonymous users never get this far: LoginRequiredMiddleware sends
them to the login page).

Every view about one object stands on `ObjectGateMixin` through one of the `Scoped*View` bases
below, which check in one fixed order, configured on the class:

1. `permission_required`: the model permission(s) a user needs to use the view at all (the
   action's own permission where every row needs it, else the permission to see such rows).
   Without it: 403, whatever the URL names (even an object that does not exist).
2. The object the URL names, looked up in `Model.objects.for_user(user)`: missing, out of scope
   or a malformed key all answer the same 404, so ids cannot be probed. By `pk` by default, or
   `slug_field` / `slug_url_kwarg` (a site by its code). A row under another one (a membership
   under its site) names its `parent_model` and `parent_lookup`: the parent is looked up in its
   own scope, the row among the parent's (`parent_field`).
3. `object_permission`: a predicate `(user, obj) -> bool` from the app's `permissions` module,
   asked about the parent when the view has one, else about the object. No: 403.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.filterset import FilterSet
from django_filters.views import FilterView

from janitorial_crm.pagination import DEFAULT_PER_PAGE, PerPageMixin

if TYPE_CHECKING:
    from janitorial_crm.models import User

    # The mixins below are only ever mixed into Django's class-based views: for the type
    # checker they are views (request, kwargs, dispatch), at run time plain mixins.
    _ViewBase = View
else:
    _ViewBase = object


def request_user(request: HttpRequest) -> "User":
    """The user of a request to a gated view or admin page (or of an API call that DRF has
    authenticated): always a logged-in `User`.

    LoginRequiredMiddleware (and the admin's own login) turn anonymous requests away before
    any of these views runs, and AUTH_USER_MODEL is `janitorial_crm.User`; the request's type
    says neither."""
    return cast("User", request.user)


class ScopedManager(Protocol):
    """What every domain model's default manager offers (docs/ARCHITECTURE.md, "The gate")."""

    def for_user(self, user: "User") -> QuerySet[Any]: ...


# `(user, obj) -> bool`, from an app's `permissions` module. The object's model is the view's
# own, so it is not known here.
ObjectPredicate = Callable[["User", Any], bool]


def scoped_rows(model: type[Model], user: "User") -> QuerySet[Any]:
    """`model.objects.for_user(user)`: the rows of `model` that `user` may see."""
    # Every model a gated view or admin serves has a `for_user` queryset on its one manager,
    # `objects` (docs/ARCHITECTURE.md, "Adding a model"); Django's Manager type does not know it.
    return cast(ScopedManager, model._default_manager).for_user(user)


class ScopedQuerysetMixin(_ViewBase):
    """Views whose rows come from `model.objects.for_user(user)`."""

    model: type[Model]

    def get_scoped_queryset(self) -> QuerySet[Any]:
        return scoped_rows(self.model, request_user(self.request))

    def get_queryset(self) -> QuerySet[Any]:
        return self.get_scoped_queryset()


class PortalPermissionMixin(PermissionRequiredMixin):
    """Model permission check: 403 for a logged-in user without it."""

    raise_exception = True


class ScopedListView(ScopedQuerysetMixin, PortalPermissionMixin, PerPageMixin, FilterView):
    """A paginated, filtered list of the rows the user may see, `?per_page=` rows a page."""

    paginate_by = DEFAULT_PER_PAGE
    strict = False

    def get_filterset_kwargs(self, filterset_class: type[FilterSet]) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ObjectGateMixin(ScopedQuerysetMixin):
    """The one gate of a view about one object (see the module docstring for the order).

    The checks run in `dispatch`, before any handler, for every method the view answers;
    handlers find the checked object in `self.object` (and its parent in `self.parent`).
    """

    model: type[Model]
    permission_required: str | Sequence[str] | None = None
    object_permission: ObjectPredicate | None = None
    pk_url_kwarg = "pk"
    slug_field = ""  # empty: the object is looked up by pk
    slug_url_kwarg = ""
    parent_model: type[Model] | None = None
    parent_lookup = ("pk", "pk")  # (field of the parent, URL keyword argument)
    parent_field = ""  # the row's foreign key to its parent
    parent: Model | None = None
    object: Any  # the checked object (None on a create view); its model is the subclass's
    _gated_object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perms(self.get_permission_required()):
            raise PermissionDenied
        if (request.method or "").lower() in self.http_method_names:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self) -> tuple[str, ...]:
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required.")
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return tuple(self.permission_required)

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        """The object the URL names, checked: scope (404), then the predicate (403).

        Computed once per request; the generic views' own calls get the same object.
        """
        if "_gated_object" not in self.__dict__:
            self.parent = self.get_parent()
            obj = self.find_object(queryset)
            if not self.has_object_permission(obj if self.parent_model is None else self.parent):
                raise PermissionDenied
            self._gated_object = obj
        return self._gated_object

    def get_parent(self) -> Model | None:
        if self.parent_model is None:
            return None
        field, kwarg = self.parent_lookup
        parents = scoped_rows(self.parent_model, request_user(self.request))
        return _find(parents, field, self.kwargs[kwarg])

    def get_scoped_queryset(self) -> QuerySet[Any]:
        """Rows in the user's scope; under a parent, the parent's rows (already in scope)."""
        if self.parent_model is not None:
            return self.model._default_manager.filter(**{self.parent_field: self.parent})
        return super().get_scoped_queryset()

    def find_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        queryset = self.get_queryset() if queryset is None else queryset
        if self.slug_field:
            return _find(queryset, self.slug_field, self.kwargs[self.slug_url_kwarg])
        return _find(queryset, "pk", self.kwargs[self.pk_url_kwarg])

    def has_object_permission(self, obj: Model | None) -> bool:
        """Ask the class's predicate; a view whose rule needs more than (user, obj) overrides
        this (and only this)."""
        predicate = type(self).object_permission  # a plain function, not a bound method
        return predicate is None or predicate(request_user(self.request), obj)


def _find(queryset: QuerySet[Any], field: str, value: object) -> Any:
    """The one row with `field == value`, else 404 (a value of the wrong type too)."""
    try:
        return get_object_or_404(queryset, **{field: value})
    except (ValueError, TypeError, ValidationError):
        raise Http404 from None


class ScopedDetailView(ObjectGateMixin, DetailView):
    """Show one object."""


class ScopedCreateView(ObjectGateMixin, CreateView):
    """Create an object, on its own (the model permission is the whole gate) or under a
    parent (`parent_model`): then the parent is scoped and the predicate asked about it."""

    def find_object(self, queryset: QuerySet[Any] | None = None) -> None:
        return None


class ScopedUpdateView(ObjectGateMixin, UpdateView):
    """Edit one object through its ModelForm."""


class ScopedFormView(ObjectGateMixin, SingleObjectMixin, FormView):
    """A form about one object that is not the object's own ModelForm (a stock movement on an
    item, the visits of a series from this one on); `form_valid` calls a service."""


class ScopedActionView(ObjectGateMixin, SingleObjectMixin, View):
    """A POST-only action on one object (start a visit, resolve an action); `post` acts on
    `self.object` and answers with a redirect (or an htmx fragment)."""

    http_method_names = ["post"]


class ScopedDownloadView(ObjectGateMixin, View):
    """A file that belongs to one object, served to those who may see the object."""

    http_method_names = ["get", "head"]
