"""The pickers' search endpoints: `GET <url>?q=text` → `{"results": [{"value", "text"}]}`.

Each endpoint serves one kind of picker and starts from the very queryset the form or filter
field behind it uses (a client or a technician never reads a name the field would refuse),
behind the permission of the pages that show it. The answer holds at most `LIMIT` rows,
ordered by name, matched on the key (code, username) or the name; an empty `q` gives the first
rows. A fixed number of queries whatever the data: the session and user, the permission check,
one select (and one for the roles of people, where the label shows them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.views import View

from inspections.filters import visible_inspectors
from inspections.models import visible_sites as sites_with_visible_inspections
from inspections.permissions import can_view_internal
from janitorial_crm.mixins import ObjectGateMixin, request_user
from janitorial_crm.pickers import (
    PersonPickerField,
    PersonWithRolePickerField,
    PickerField,
    SitePickerField,
)
from scheduling.filters import visible_technicians
from scheduling.forms import technician_choices
from sites import permissions as site_permissions
from sites.forms import active_users_with_a_role, member_candidates
from sites.models import ClientSite

LIMIT = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class Source:
    """One kind of picker: who may ask, which rows, which field class reads and labels them."""

    field: type[PickerField]
    rows: Callable[..., QuerySet[Any]]  # (request, **url kwargs) -> the field's queryset
    allowed: Callable[[Any], bool]  # (user) -> bool; False is a 403
    columns: tuple[str, ...]
    prefetch: tuple[str, ...] = ()


def _perm(name: str) -> Callable[[Any], bool]:
    return lambda user: user.has_perm(name)


def _site_members(request: HttpRequest, *, site: ClientSite) -> QuerySet[Any]:
    return member_candidates().exclude(site_memberships__site=site)


SITE_COLUMNS = ("pk", "site_code", "site_name")
PERSON_COLUMNS = ("pk", "username", "full_name")

SOURCES = {
    # Visit list, board, stock lists, inspection form: every site the user sees.
    "sites": Source(
        SitePickerField,
        lambda request: ClientSite.objects.for_user(request_user(request)),
        _perm("sites.view_clientsite"),
        SITE_COLUMNS,
    ),
    # Planning a visit, a new stock item: the active ones.
    "active_sites": Source(
        SitePickerField,
        lambda request: ClientSite.objects.for_user(request_user(request)).active(),
        _perm("sites.view_clientsite"),
        SITE_COLUMNS,
    ),
    # The inspection list: the sites whose inspections the user may see.
    "inspection_sites": Source(
        SitePickerField,
        lambda request: sites_with_visible_inspections(request_user(request)),
        _perm("inspections.view_siteinspectionlog"),
        SITE_COLUMNS,
    ),
    # Assigning a visit: the active technicians.
    "technicians": Source(
        PersonPickerField,
        lambda request: technician_choices(request_user(request)),
        _perm("scheduling.manage_visits"),
        PERSON_COLUMNS,
    ),
    # The visit list's and board's filter: the assignees of the visits the user sees.
    "visit_technicians": Source(
        PersonPickerField,
        visible_technicians,
        _perm("scheduling.view_cleaningschedule"),
        PERSON_COLUMNS,
    ),
    # The inspection list's filter (staff only: clients do not pick inspectors).
    "inspectors": Source(
        PersonPickerField,
        visible_inspectors,
        lambda user: (
            user.has_perm("inspections.view_siteinspectionlog") and can_view_internal(user)
        ),
        PERSON_COLUMNS,
    ),
    # A site's primary contact.
    "people": Source(
        PersonWithRolePickerField,
        lambda request: active_users_with_a_role(),
        lambda user: (
            user.has_perm("sites.add_clientsite") or user.has_perm("sites.change_clientsite")
        ),
        PERSON_COLUMNS,
        prefetch=("groups",),
    ),
    # A new member of one site: whoever may be a member and is not one yet. The site is
    # checked by the object gate (SiteMemberOptionsView) before the rows are read.
    "site_members": Source(
        PersonWithRolePickerField,
        _site_members,
        _perm("sites.manage_members"),
        PERSON_COLUMNS,
        prefetch=("groups",),
    ),
}


class PickerOptionsView(View):
    """The options of one picker (`source`, a key of SOURCES) matching `?q=`."""

    http_method_names = ["get"]
    source = ""

    def get(self, request: HttpRequest, **kwargs: Any) -> JsonResponse:
        source = SOURCES[self.source]
        if not source.allowed(request_user(request)):
            raise PermissionDenied
        return self.answer(source, source.rows(request, **self.rows_kwargs()))

    def rows_kwargs(self) -> dict[str, Any]:
        return {}

    def answer(self, source: Source, rows: QuerySet[Any]) -> JsonResponse:
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY]
        if "\x00" in query:  # matches nothing (and PostgreSQL refuses it in a query)
            return JsonResponse({"results": []})
        field = source.field
        if query:
            rows = rows.filter(
                Q(**{f"{field.key_field}__icontains": query})
                | Q(**{f"{field.name_field}__icontains": query})
            )
        rows = rows.only(*source.columns).order_by(field.name_field, field.key_field, "pk")
        if source.prefetch:
            rows = rows.prefetch_related(*source.prefetch)
        results = [{"value": str(row.pk), "text": field.label_for(row)} for row in rows[:LIMIT]]
        return JsonResponse({"results": results})


class SiteMemberOptionsView(ObjectGateMixin, PickerOptionsView):
    """The people who may be added to one site, for those who may manage its members: the
    site by its code in the user's scope (404), then `can_manage_members` (403)."""

    model = ClientSite
    permission_required = "sites.view_clientsite"
    object_permission = site_permissions.can_manage_members  # type: ignore[assignment]  # a plain function (mypy reads it as a method)
    slug_field = "site_code"
    slug_url_kwarg = "code"
    source = "site_members"

    def rows_kwargs(self) -> dict[str, Any]:
        return {"site": self.object}
