"""What a user may do to a client site they can already see (docs/ACCESS.md, Sites column).

Which sites a user sees at all is `ClientSite.objects.for_user(user)`; a site outside it is a
404 before any of these predicates is asked. Each predicate answers one action for one visible
site, from the user's model permissions and, where the table needs it, their site membership.
"""

from janitorial_crm.models import User
from janitorial_crm.roles import Role
from sites.models import ClientSite

# Roles that see a site as a customer: its summary only, never instructions, internal notes,
# stock figures or staff contacts (docs/ACCESS.md, "Summary only").
_CUSTOMER_ROLES = frozenset({Role.CLIENT})


def is_customer(user: User) -> bool:
    """A client's facility manager rather than a member of the company's staff."""
    return user.role in _CUSTOMER_ROLES


def can_see_internals(user: User, site: ClientSite | None = None) -> bool:
    """Company staff see instructions, internal notes, stock figures and staff contacts; a
    client (facility manager) sees the summary fields of the site and nothing internal."""
    return user.has_perm("sites.view_site_internals")


def can_create_site(user: User) -> bool:
    return user.has_perm("sites.add_clientsite")


def can_change_site(user: User, site: ClientSite) -> bool:
    """Edit the site's fields, deactivate and reactivate it."""
    return user.has_perm("sites.change_clientsite")


def can_delete_site(user: User, site: ClientSite) -> bool:
    """Deleting is for mistakes only: a site with history is deactivated instead (see
    `ClientSite.has_history`, checked by `services.site_delete` so that it can say why)."""
    return user.has_perm("sites.delete_clientsite")


def can_export_sites(user: User) -> bool:
    """The CSV export is an office tool: the people who maintain the site list."""
    return user.has_perm("sites.change_clientsite")


def can_view_members(user: User, site: ClientSite) -> bool:
    return user.has_perm("sites.view_sitemembership")


def can_manage_members(user: User, site: ClientSite) -> bool:
    """Add and remove staff and client users on the site and toggle a client's grant."""
    return user.has_perm("sites.manage_members")


def can_see_inspections(user: User, site: ClientSite) -> bool:
    """Whether the site's inspection outcomes are shown to `user`.

    Staff with the permission see them at every site they can see. A client sees them only
    where their membership carries the grant; revoking it hides them on the next request.
    """
    return (
        user.has_perm("inspections.view_siteinspectionlog")
        and ClientSite.objects.with_visible_inspections(user).filter(pk=site.pk).exists()
    )
