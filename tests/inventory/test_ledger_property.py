"""Whatever sequence of movements is attempted, the ledger and the quantity agree."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from tests.factories import StockItemFactory

quantities = st.one_of(
    st.decimals(min_value=-5, max_value=60, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["0", "abc", "1.001", "NaN", "-0.01"]),
)
movements = st.lists(st.tuples(st.sampled_from(MovementKind.values), quantities), max_size=25)


def expected_after(kind, quantity, on_hand):
    """The model of the rules: the new quantity, or None when the movement must be refused."""
    try:
        value = Decimal(str(quantity))
    except ArithmeticError:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    if kind == MovementKind.CORRECTION:
        return value
    if value == 0:
        return None
    if kind == MovementKind.RESTOCK:
        return on_hand + value
    return on_hand - value if value <= on_hand else None


@pytest.mark.django_db
@settings(
    max_examples=50,
    deadline=None,
    database=None,  # no example files shared between xdist workers or runs
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=movements)
def test_ledger_replays_to_the_quantity_on_hand(technician, sequence):
    # A fresh item per example: examples share the test's transaction, not an item.
    item = StockItemFactory(quantity_on_hand=Decimal("0"))
    on_hand = Decimal("0")
    for kind, quantity in sequence:
        expected = expected_after(kind, quantity, on_hand)
        try:
            stock_apply_movement(item=item, kind=kind, quantity=quantity, by=technician)
        except ValidationError:
            assert expected is None, (kind, quantity, on_hand)
        else:
            assert expected is not None, (kind, quantity, on_hand)
            on_hand = expected

        item.refresh_from_db()
        assert item.quantity_on_hand == on_hand >= 0
        # Summed in Python: SQLite adds decimals as floats.
        ledger = list(item.movements.order_by("pk").values_list("quantity", "quantity_after"))
        assert sum(change for change, _after in ledger) == on_hand
        assert (ledger[-1][1] if ledger else Decimal("0")) == on_hand
        # Every row's quantity_after is the running sum up to it.
        running = Decimal("0")
        for change, after in ledger:
            running += change
            assert after == running
