"""Each database constraint of the domain rejects bad data, even when a form is bypassed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    SiteMembershipFactory,
    StockItemFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def rejects(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_site_code_is_unique_and_stored_uppercase():
    site = ClientSiteFactory(site_code=" hq-01 ")
    assert site.site_code == "HQ-01"
    rejects(ClientSiteFactory, site_code="HQ-01")
    rejects(ClientSiteFactory, site_code="hq-01")


def test_site_code_uppercase_is_enforced_by_the_database():
    site = ClientSiteFactory()
    from sites.models import ClientSite

    with pytest.raises(IntegrityError), transaction.atomic():
        ClientSite.objects.filter(pk=site.pk).update(site_code="lower")


def test_a_user_is_a_member_of_a_site_once():
    membership = SiteMembershipFactory()
    rejects(SiteMembershipFactory, site=membership.site, user=membership.user)


def test_user_email_is_required_and_unique_case_insensitively():
    UserFactory(email="Maria@Example.com")
    rejects(UserFactory, email="maria@example.COM")
    rejects(UserFactory, email="")


def test_user_email_is_stored_lowercase():
    assert UserFactory(email="Dev@Example.COM").email == "dev@example.com"


def test_zero_length_visit_is_rejected_but_overnight_is_valid():
    rejects(VisitFactory, start_time=dt.time(22, 0), end_time=dt.time(22, 0))
    visit = VisitFactory(start_time=dt.time(22, 0), end_time=dt.time(2, 0))
    assert visit.is_overnight
    assert visit.duration == dt.timedelta(hours=4)
    assert visit.ends_at.date() == visit.service_date + dt.timedelta(days=1)


def test_sku_is_unique_per_site_only():
    item = StockItemFactory(sku="PT-1")
    rejects(StockItemFactory, site=item.site, sku="PT-1")
    assert StockItemFactory(sku="PT-1").site != item.site


@pytest.mark.parametrize("field", ["quantity_on_hand", "reorder_level", "par_level"])
def test_stock_quantities_cannot_be_negative(field):
    rejects(StockItemFactory, **{field: Decimal("-0.01")})


def test_item_is_low_at_or_below_reorder_level():
    assert StockItemFactory(quantity_on_hand=5, reorder_level=5).is_low
    assert not StockItemFactory(quantity_on_hand=6, reorder_level=5).is_low


@pytest.mark.parametrize("score", [-1, 101])
def test_inspection_score_must_be_between_0_and_100(score):
    # PositiveSmallIntegerField already refuses -1 on some backends; 101 needs our constraint.
    rejects(InspectionFactory, score=score)


def test_inspection_score_bounds_are_inclusive():
    assert InspectionFactory(score=0).score == 0
    assert InspectionFactory(score=100).score == 100


def test_inspection_visit_must_be_at_the_same_site():
    from django.core.exceptions import ValidationError

    log = InspectionFactory.build(site=ClientSiteFactory(), schedule=VisitFactory())
    with pytest.raises(ValidationError) as excinfo:
        log.clean()
    assert "schedule" in excinfo.value.message_dict


def test_a_site_with_visits_or_inspections_cannot_be_deleted():
    visit = VisitFactory()
    with pytest.raises(ProtectedError):
        visit.site.delete()
    log = InspectionFactory()
    with pytest.raises(ProtectedError):
        log.site.delete()
