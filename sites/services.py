"""Writes to client sites and their members, keyword-only, each in one transaction.

The portal's views and Django admin both call these, so a rule (a site with history is never
deleted, only client users hold the inspection grant) is enforced the same way on every path.
Each raises ValidationError, keyed to the form field where there is one, when it refuses.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from janitorial_crm.db import unique_violation_as
from sites.models import ClientSite, SiteMembership


def _save_site(site: ClientSite) -> ClientSite:
    """Save, turning a code saved by someone else a moment ago (after the form's check) into a
    message next to the code instead of a 500."""

    def code_taken() -> bool:
        return ClientSite.objects.filter(site_code=site.site_code).exclude(pk=site.pk).exists()

    with unique_violation_as(
        {"site_code": _("Another site already uses this code.")}, taken=code_taken
    ):
        site.save()
    return site


@transaction.atomic
def site_create(*, site: ClientSite) -> ClientSite:
    """Save a new (unsaved) site."""
    return _save_site(site)


@transaction.atomic
def site_update(*, site: ClientSite) -> ClientSite:
    """Save the edited fields of a site (its code included)."""
    return _save_site(site)


@transaction.atomic
def site_deactivate(*, site: ClientSite) -> ClientSite:
    """Take a site out of planning; it stays in the history. Idempotent."""
    if site.active:
        site.active = False
        site.save(update_fields=["active", "updated_at"])
    return site


@transaction.atomic
def site_reactivate(*, site: ClientSite) -> ClientSite:
    """Plan a deactivated site again. Idempotent."""
    if not site.active:
        site.active = True
        site.save(update_fields=["active", "updated_at"])
    return site


@transaction.atomic
def site_delete(*, site: ClientSite) -> None:
    """Delete a site entered by mistake. A site with visits, stock or inspections on record is
    refused (deactivate it instead): its history must stay."""
    refusal = ValidationError(
        _("%(site)s has visits, stock or inspections on record: deactivate it instead."),
        code="has_history",
        params={"site": site},
    )
    if site.has_history():
        raise refusal
    try:
        with transaction.atomic():
            site.delete()
    except ProtectedError:
        # History recorded between the check and the delete.
        raise refusal from None


@transaction.atomic
def membership_add(*, membership: SiteMembership) -> SiteMembership:
    """Save a new (unsaved) membership: a person put on a site, with the grant rule checked
    (`SiteMembership.clean`). A person already on the site is refused next to `user`."""
    membership.clean()

    def already_member() -> bool:
        return SiteMembership.objects.filter(
            site_id=membership.site_id, user_id=membership.user_id
        ).exists()

    with unique_violation_as(
        {"user": _("This person is already a member of the site.")}, taken=already_member
    ):
        membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: SiteMembership) -> None:
    """Take a person off a site."""
    membership.delete()


@transaction.atomic
def membership_grant_set(*, membership: SiteMembership, granted: bool) -> SiteMembership:
    """Turn a client member's access to the site's inspection outcomes on or off. Only client
    users hold the grant (`SiteMembership.clean`, the one place the rule is written)."""
    previous, membership.can_see_inspections = membership.can_see_inspections, granted
    try:
        membership.clean()
    except ValidationError:
        membership.can_see_inspections = previous
        raise
    membership.save(update_fields=["can_see_inspections", "updated_at"])
    return membership
