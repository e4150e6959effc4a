"""The movement service: the only way a quantity changes, and the ledger it writes."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inventory.models import MovementKind, StockMovement
from inventory.services import StockBatchError, stock_apply_movement, stock_apply_movements
from tests.factories import make_stock_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(coordinator, site):
    return make_stock_item(by=coordinator, site=site, quantity="10", reorder_level=Decimal("4"))


def quantities(item):
    item.refresh_from_db()
    return item.quantity_on_hand, list(
        item.movements.order_by("pk").values_list("kind", "quantity", "quantity_after")
    )


@time_machine.travel("2026-11-20 14:00 -05:00", tick=False)
def test_restock_adds_and_stamps_last_restocked(item, coordinator):
    movement = stock_apply_movement(
        item=item, kind=MovementKind.RESTOCK, quantity=Decimal("2.5"), by=coordinator
    )
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("12.50")
    assert item.last_restocked_at.isoformat() == "2026-11-20T19:00:00+00:00"
    assert (movement.quantity, movement.quantity_after) == (Decimal("2.5"), Decimal("12.5"))
    assert movement.created_by == coordinator


def test_usage_subtracts_and_records_a_negative_change(item, technician):
    stock_apply_movement(
        item=item, kind=MovementKind.USAGE, quantity="3.25", by=technician, note=" night 1 "
    )
    on_hand, ledger = quantities(item)
    assert on_hand == Decimal("6.75")
    assert ledger[-1] == (MovementKind.USAGE, Decimal("-3.25"), Decimal("6.75"))
    assert item.movements.latest("pk").note == "night 1"


def test_usage_of_everything_on_hand_is_allowed(item, technician):
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="10", by=technician)
    item.refresh_from_db()
    assert item.quantity_on_hand == 0


def test_usage_larger_than_on_hand_is_refused_and_writes_nothing(item, technician):
    with pytest.raises(ValidationError) as refused:
        stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="10.01", by=technician)
    assert "Only 10 case on hand" in refused.value.message_dict["quantity"][0]
    assert quantities(item) == (Decimal("10"), [(MovementKind.RESTOCK, 10, 10)])


def test_correction_takes_the_counted_quantity_and_records_the_difference(item, technician):
    stock_apply_movement(item=item, kind=MovementKind.CORRECTION, quantity="7", by=technician)
    stock_apply_movement(item=item, kind=MovementKind.CORRECTION, quantity="8.5", by=technician)
    on_hand, ledger = quantities(item)
    assert on_hand == Decimal("8.5")
    assert ledger[1:] == [
        (MovementKind.CORRECTION, Decimal("-3"), Decimal("7")),
        (MovementKind.CORRECTION, Decimal("1.5"), Decimal("8.5")),
    ]


def test_a_count_that_matches_is_recorded_as_a_zero_correction(item, technician):
    stock_apply_movement(item=item, kind=MovementKind.CORRECTION, quantity="10", by=technician)
    assert quantities(item)[1][-1] == (MovementKind.CORRECTION, 0, 10)


def test_a_count_of_zero_empties_the_shelf(item, technician):
    stock_apply_movement(item=item, kind=MovementKind.CORRECTION, quantity="0", by=technician)
    assert quantities(item)[0] == 0


@pytest.mark.parametrize(
    ("kind", "quantity", "message"),
    [
        (MovementKind.USAGE, "-1", "cannot be negative"),
        (MovementKind.RESTOCK, Decimal("-0.01"), "cannot be negative"),
        (MovementKind.CORRECTION, "-5", "cannot be negative"),
        (MovementKind.RESTOCK, "0", "above zero"),
        (MovementKind.USAGE, Decimal("0.00"), "above zero"),
        (MovementKind.USAGE, "abc", "Enter a number"),
        (MovementKind.RESTOCK, "", "Enter a number"),
        (MovementKind.RESTOCK, None, "Enter a number"),
        (MovementKind.RESTOCK, "NaN", "Enter a number"),
        (MovementKind.RESTOCK, "Infinity", "Enter a number"),
        (MovementKind.RESTOCK, "1e3x", "Enter a number"),
        (MovementKind.USAGE, "1.005", "two decimal places"),
        (MovementKind.RESTOCK, "100000000000", "too large"),
    ],
)
def test_bad_quantities_are_refused_with_a_field_error(item, coordinator, kind, quantity, message):
    with pytest.raises(ValidationError) as refused:
        stock_apply_movement(item=item, kind=kind, quantity=quantity, by=coordinator)
    assert message in refused.value.message_dict["quantity"][0]
    assert quantities(item) == (Decimal("10"), [(MovementKind.RESTOCK, 10, 10)])


def test_an_unknown_kind_is_refused(item, coordinator):
    with pytest.raises(ValidationError) as refused:
        stock_apply_movement(item=item, kind="theft", quantity="1", by=coordinator)
    assert "kind" in refused.value.message_dict


def test_the_passed_item_reflects_the_new_quantity(item, technician):
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="1", by=technician)
    assert item.quantity_on_hand == Decimal("9")


def test_a_stale_item_instance_cannot_lose_an_update(item, coordinator, technician):
    stale = type(item).objects.get(pk=item.pk)
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="4", by=technician)
    # `stale` still believes 10 are on hand; the service reads the row under a lock.
    stock_apply_movement(item=stale, kind=MovementKind.USAGE, quantity="4", by=technician)
    assert quantities(item)[0] == Decimal("2")
    with pytest.raises(ValidationError):
        stock_apply_movement(item=stale, kind=MovementKind.USAGE, quantity="4", by=technician)


def test_going_back_above_the_reorder_level_clears_the_alert_mark(item, coordinator):
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity="7", by=coordinator)
    type(item).objects.filter(pk=item.pk).update(low_alerted_at="2026-11-01T00:00Z")
    stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="1", by=coordinator)
    item.refresh_from_db()
    assert item.quantity_on_hand == 4 and item.low_alerted_at is not None  # still low
    stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="0.5", by=coordinator)
    item.refresh_from_db()
    assert item.low_alerted_at is None


def test_a_batch_is_recorded_whole(coordinator, technician, site):
    a = make_stock_item(by=coordinator, site=site, quantity="5")
    b = make_stock_item(by=coordinator, site=site, quantity="3")
    stock_apply_movements(changes=[(b, "1"), (a, "2")], kind=MovementKind.USAGE, by=technician)
    assert quantities(a)[0] == 3 and quantities(b)[0] == 2


def test_a_batch_with_one_refused_row_records_nothing_and_names_every_bad_row(
    coordinator, technician, site
):
    a = make_stock_item(by=coordinator, site=site, quantity="5")
    b = make_stock_item(by=coordinator, site=site, quantity="3")
    c = make_stock_item(by=coordinator, site=site, quantity="3")
    with pytest.raises(StockBatchError) as refused:
        stock_apply_movements(
            changes=[(a, "1"), (b, "4"), (c, "-1")], kind=MovementKind.USAGE, by=technician
        )
    assert set(refused.value.errors) == {1, 2}
    assert [quantities(i)[0] for i in (a, b, c)] == [5, 3, 3]
    assert StockMovement.objects.filter(kind=MovementKind.USAGE).count() == 0


def test_the_database_refuses_a_movement_whose_sign_contradicts_its_kind(item, coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(
            item=item,
            kind=MovementKind.USAGE,
            quantity=2,
            quantity_after=12,
            created_by=coordinator,
        )


def test_the_database_refuses_a_negative_quantity(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(quantity_on_hand=-1)
