"""Writes to client sites and their members, keyword-only, each in one transaction.

The portal's views and Django admin both call these, so a rule (a site with history is never
deleted, only client users hold the inspection grant) is enforced the same way on every path.
Each raises ValidationError, keyed to the form field where there is one, when it refuses.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from sites.models import ClientSite


def _save_site(site, **kwargs):
    """Save, turning a code saved by someone else a moment ago (after the form's check) into a
    message next to the code instead of a 500."""
    try:
        with transaction.atomic():
            site.save(**kwargs)
    except IntegrityError:
        taken = ClientSite.objects.filter(site_code=site.site_code).exclude(pk=site.pk).exists()
        if not taken:
            raise
        raise ValidationError(
            {"site_code": _("Another site already uses this code.")}, code="unique"
        ) from None
    return site


@transaction.atomic
def site_create(*, site):
    """Save a new (unsaved) site."""
    return _save_site(site)


@transaction.atomic
def site_update(*, site):
    """Save the edited fields of a site (its code included)."""
    return _save_site(site)


@transaction.atomic
def site_deactivate(*, site):
    """Take a site out of planning; it stays in the history. Idempotent."""
    if site.active:
        site.active = False
        site.save(update_fields=["active", "updated_at"])
    return site


@transaction.atomic
def site_reactivate(*, site):
    """Plan a deactivated site again. Idempotent."""
    if not site.active:
        site.active = True
        site.save(update_fields=["active", "updated_at"])
    return site


@transaction.atomic
def site_delete(*, site):
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
def membership_add(*, membership):
    """Save a new (unsaved) membership: a person put on a site, with the grant rule checked
    (`SiteMembership.clean`). A person already on the site is refused next to `user`."""
    membership.clean()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            {"user": _("This person is already a member of the site.")}, code="unique"
        ) from None
    return membership


@transaction.atomic
def membership_remove(*, membership):
    """Take a person off a site."""
    membership.delete()


@transaction.atomic
def membership_grant_set(*, membership, granted):
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
