"""May this user do X to this inspection? (docs/ACCESS.md, Inspections column.)

Which rows a user sees is `SiteInspectionLog.objects.for_user(user)`; these predicates answer the
object-level question for rows already in scope. Views answer 404 outside the scope and 403 when
a predicate here says no.

| role        | create                | change            | resolve actions | internal view |
|-------------|-----------------------|-------------------|-----------------|---------------|
| admin/sup.  | any site              | any               | yes             | yes           |
| coordinator | no                    | no                | yes             | yes           |
| inspector   | assigned sites        | at assigned sites | no              | yes           |
| technician  | assigned sites        | own only          | no              | yes           |
| client      | no                    | no                | no              | no            |
"""

from inspections.models import SiteInspectionLog, visible_sites
from janitorial_crm.models import User
from sites.models import ClientSite


def can_create(user: User) -> bool:
    """Whether `user` may file inspections at all (the form's site list holds the scope)."""
    return user.has_perm("inspections.add_siteinspectionlog")


def can_create_at(user: User, site: ClientSite) -> bool:
    """Whether `user` may file an inspection at `site`: the permission plus an assigned site."""
    return can_create(user) and ClientSite.objects.for_user(user).filter(pk=site.pk).exists()


def can_change(user: User, log: SiteInspectionLog) -> bool:
    """Inspectors (and company-wide roles holding the permission) edit any inspection in their
    scope; technicians edit only the ones they filed."""
    return user.has_perm("inspections.change_siteinspectionlog") and (
        log.inspector_id == user.pk or user.has_perm("inspections.change_any_inspection")
    )


def can_resolve(user: User, log: SiteInspectionLog) -> bool:
    """Coordinators and supervisors follow up corrective actions until resolved."""
    return user.has_perm("inspections.resolve_corrective_action")


def can_view_internal(user: User) -> bool:
    """Staff who work with inspections see internal notes and who inspected; clients never."""
    return (
        user.has_perm("inspections.add_siteinspectionlog")
        or user.has_perm("inspections.change_siteinspectionlog")
        or user.has_perm("inspections.resolve_corrective_action")
    )


def can_view_at_site(user: User, site: ClientSite) -> bool:
    """Whether `user` may see the inspections of `site` (even while there are none yet)."""
    return (
        user.has_perm("inspections.view_siteinspectionlog")
        and visible_sites(user).filter(pk=site.pk).exists()
    )
