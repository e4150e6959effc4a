"""The site services: the rules every write path (portal and admin) shares."""

import pytest
from django.core.exceptions import ValidationError

from janitorial_crm.roles import Role
from sites import services
from sites.models import ClientSite, SiteMembership
from tests.factories import (
    ClientSiteFactory,
    SiteMembershipFactory,
    StockItemFactory,
    VisitFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_the_inspection_grant_is_refused_for_a_staff_member(site, technician):
    membership = SiteMembership.objects.get(site=site, user=technician)
    with pytest.raises(ValidationError) as refused:
        services.membership_grant_set(membership=membership, granted=True)
    assert "can_see_inspections" in refused.value.message_dict
    assert membership.can_see_inspections is False
    membership.refresh_from_db()
    assert membership.can_see_inspections is False


def test_a_client_members_grant_is_turned_off_and_on(site, client_user):
    membership = SiteMembership.objects.get(site=site, user=client_user)
    services.membership_grant_set(membership=membership, granted=False)
    membership.refresh_from_db()
    assert membership.can_see_inspections is False
    services.membership_grant_set(membership=membership, granted=True)
    membership.refresh_from_db()
    assert membership.can_see_inspections is True


def test_adding_a_staff_member_with_the_grant_is_refused(site):
    newcomer = make_user(Role.INSPECTOR)
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            membership=SiteMembership(site=site, user=newcomer, can_see_inspections=True)
        )
    assert "can_see_inspections" in refused.value.message_dict
    assert not SiteMembership.objects.filter(user=newcomer).exists()


def test_adding_someone_already_on_the_site_is_refused_next_to_the_person(site, technician):
    with pytest.raises(ValidationError) as refused:
        services.membership_add(membership=SiteMembership(site=site, user=technician))
    assert "user" in refused.value.message_dict
    assert SiteMembership.objects.filter(site=site, user=technician).count() == 1


def test_removing_a_member_takes_them_off_the_site(site, technician):
    membership = SiteMembership.objects.get(site=site, user=technician)
    services.membership_remove(membership=membership)
    assert not SiteMembership.objects.filter(site=site, user=technician).exists()
    assert ClientSite.objects.filter(pk=site.pk).exists()


@pytest.mark.parametrize("history", ["visit", "stock"])
def test_a_site_with_history_is_not_deleted(other_site, history):
    if history == "visit":
        VisitFactory(site=other_site)
    else:
        StockItemFactory(site=other_site)
    with pytest.raises(ValidationError) as refused:
        services.site_delete(site=other_site)
    assert refused.value.code == "has_history"
    other_site.refresh_from_db()
    assert other_site.active


def test_a_site_without_history_is_deleted_with_its_memberships(db):
    typo = ClientSiteFactory(site_code="TYPO-1")
    SiteMembershipFactory(site=typo)
    services.site_delete(site=typo)
    assert not ClientSite.objects.filter(site_code="TYPO-1").exists()
    assert not SiteMembership.objects.filter(site_id=typo.pk).exists()


def test_a_code_taken_meanwhile_is_refused_next_to_the_code(site):
    # The form checked the code; another site took it before the insert.
    with pytest.raises(ValidationError) as refused:
        services.site_create(site=ClientSite(site_code="OWN-1", site_name="Late twin"))
    assert "site_code" in refused.value.message_dict
    assert ClientSite.objects.filter(site_code="OWN-1").count() == 1


def test_deactivating_and_reactivating_are_idempotent(site):
    services.site_deactivate(site=site)
    services.site_deactivate(site=site)
    site.refresh_from_db()
    assert site.active is False
    services.site_reactivate(site=site)
    services.site_reactivate(site=site)
    site.refresh_from_db()
    assert site.active is True


def test_the_portal_refuses_a_grant_for_staff_with_the_rules_message(
    login, coordinator, technician, site
):
    technician_membership = SiteMembership.objects.get(site=site, user=technician)
    response = login(coordinator).post(
        f"/sites/OWN-1/members/{technician_membership.pk}/grant/",
        {"can_see_inspections": "1"},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert any("Only client users need this grant" in text for text in texts)
    technician_membership.refresh_from_db()
    assert technician_membership.can_see_inspections is False


def test_the_admin_refuses_to_delete_a_site_with_history(login, superuser, other_site):
    VisitFactory(site=other_site)
    response = login(superuser).post(
        f"/admin/sites/clientsite/{other_site.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code in (200, 403)
    assert ClientSite.objects.filter(pk=other_site.pk).exists()
