"""Django admin on the same access layer as the portal.

Every domain ModelAdmin inherits `ScopedAdminMixin`: the changelist and every object page start
from `Model.objects.for_user(request.user)` (an object outside it is a 404, as in the portal), and
foreign-key choices are scoped through the related model's own `for_user`.

Every admin page also answers junk in its input (query strings, hidden inputs, ids typed into
foreign-key fields) with a form error, a 400 or an ignored filter, never a 500, through
`InputGuardAdminMixin`: see its docstring for each door it closes.
"""

# Django's form and model classes cannot be subscripted at run time; their annotations here
# are for the type checker only.
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters, InlineModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import BadRequest
from django.db import DataError, models, router, transaction
from django.forms import ModelChoiceField
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from janitorial_crm.mixins import request_user, scoped_rows
from janitorial_crm.validators import parse_pk
from janitorial_crm.wall_clock import WallClockSplitDateTimeField

if TYPE_CHECKING:
    # The mixins are only ever mixed into ModelAdmin (and ScopedAdminMixin into inlines too):
    # for the type checker they are model admins, at run time plain mixins.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object

# Date-time fields in admin read the wall clock as the portal does (janitorial_crm.wall_clock):
# both nights of a DST change are accepted or explained next to the field.
WALL_CLOCK_OVERRIDES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.DateTimeField: {"form_class": WallClockSplitDateTimeField, "widget": AdminSplitDateTime}
}


# New rows one save of an inline may add (on top of the rows that exist). The formset's
# TOTAL_FORMS comes from the browser: without a bound, "5000" renders 5,000 empty rows back.
MAX_NEW_INLINE_ROWS = 50

# A search (changelist or autocomplete) reads at most this much of its term: every word becomes
# a LIKE per search field: thousands of them overflow SQLite's expression depth, and PostgreSQL
# plans them with gigabytes of memory.
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 10


class GuardedChangeList(ChangeList):
    """A changelist whose filters cannot crash the page.

    Django turns most bad filter values into "incorrect lookup parameters" (the list reloads
    without them), but not every one: a 20-digit year in the date hierarchy overflows Python's
    date, a 20-digit id in an `__in` lookup overflows the database's integer, and PostgreSQL
    refuses a NUL byte in a string. Those surface while the list is counted; here they are
    treated like any other bad filter.
    """

    def get_queryset(
        self, request: HttpRequest, exclude_parameters: list[str | None] | None = None
    ) -> models.QuerySet[Any]:
        try:
            return super().get_queryset(request, exclude_parameters)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request: HttpRequest) -> None:
        using = router.db_for_read(self.model)
        try:
            # A savepoint: on PostgreSQL a refused statement must not spoil the request's
            # transaction.
            with transaction.atomic(using=using):
                super().get_results(request)
        except (OverflowError, DataError) as error:
            raise IncorrectLookupParameters(error) from error


class PkOnlyAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that re-renders a submitted value only when it is an id.

    On a form shown again with errors, Django's widget looks the submitted value up to show its
    label, so `site=x` (or a 20-digit number, or a NUL byte) crashed the page that should have
    said "Select a valid choice" next to the field.
    """

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        target = self.field.target_field
        if isinstance(target, (models.IntegerField, models.AutoField)):
            value = [item for item in value if parse_pk(item) is not None]
        return super().optgroups(name, value, attr)


class InputGuardAdminMixin(_ModelAdminBase):
    """Junk in an admin request is a form error, a 400 or an ignored filter, never a 500.

    - changelist filters: GuardedChangeList (bad values reload the list without them);
    - `_selected_action` of a changelist action: ids only, else 400 (a browser never sends
      anything else: the values are the list's own checkboxes);
    - autocomplete foreign keys: PkOnlyAutocompleteSelect;
    - searches: NUL bytes (refused by PostgreSQL) find nothing; only the first words of a long
      term are searched for;
    - inline formsets: at most the existing rows plus MAX_NEW_INLINE_ROWS, whatever the
      management form's TOTAL_FORMS claims (Django answers "Please submit at most … forms").
    """

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return GuardedChangeList

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # `?_to_field=` (empty) reaches Django's lookup as the field named "": a 500. No field
        # named means the primary key, as when the parameter is absent.
        return super().get_object(request, object_id, from_field or None)

    def response_action(
        self, request: HttpRequest, queryset: models.QuerySet[Any], *args: Any, **kwargs: Any
    ) -> HttpResponse | None:
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(parse_pk(value) is None for value in selected):
            raise BadRequest(_("The selected items are not valid."))
        return super().response_action(request, queryset, *args, **kwargs)

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        if "\x00" in search_term:
            return queryset.none(), False
        words = search_term[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]
        return super().get_search_results(request, queryset, " ".join(words))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PkOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formsets_with_inlines(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> Iterator[tuple[type[BaseInlineFormSet[Any, Any, Any]], InlineModelAdmin[Any, Any]]]:
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield bounded_formset(formset), inline


def bounded_formset(
    formset_class: type[BaseInlineFormSet[Any, Any, Any]],
) -> type[BaseInlineFormSet[Any, Any, Any]]:
    """`formset_class` with at most its existing rows plus MAX_NEW_INLINE_ROWS forms."""

    # mypy accepts a base class chosen at run time only when it is typed Any.
    base: Any = formset_class

    class BoundedFormSet(base):
        absolute_max: int
        max_num: int

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # The inline's rows are read here anyway, to build its forms.
            limit = len(self.get_queryset()) + MAX_NEW_INLINE_ROWS
            self.absolute_max = min(self.absolute_max, limit)
            self.max_num = min(self.max_num, limit)

    BoundedFormSet.__name__ = formset_class.__name__
    BoundedFormSet.__qualname__ = formset_class.__qualname__
    return BoundedFormSet


class ScopedAdminMixin(InputGuardAdminMixin):
    list_per_page = 50
    show_full_result_count = False
    formfield_overrides = WALL_CLOCK_OVERRIDES

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        qs = scoped_rows(self.model, request_user(request))
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related = db_field.related_model
        if hasattr(related._default_manager, "for_user") and "queryset" not in kwargs:
            kwargs["queryset"] = scoped_rows(related, request_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
