"""Concurrent movements on PostgreSQL: no lost update, never below zero."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from inventory.models import MovementKind, SupplyInventory
from inventory.services import stock_apply_movement
from janitorial_crm.roles import Role
from tests.factories import StockItemFactory, make_user

THREADS = 20
MOVEMENTS_PER_THREAD = 10


def plan(thread):
    """Each thread mixes restocks, usages that may or may not fit, and one usage that never
    fits, so that refusals are certain whatever the interleaving."""
    moves = []
    for step in range(MOVEMENTS_PER_THREAD):
        if step == 0:
            moves.append((MovementKind.USAGE, Decimal("100000")))
        elif (thread + step) % 3 == 0:
            moves.append((MovementKind.RESTOCK, Decimal("1.5")))
        else:
            moves.append((MovementKind.USAGE, Decimal("2")))
    return moves


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_movements_never_lose_an_update_or_go_below_zero():
    assert connection.vendor == "postgresql"
    user = make_user(Role.COORDINATOR)
    item = StockItemFactory(quantity_on_hand=Decimal("0"))
    stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="10", by=user)

    barrier = threading.Barrier(THREADS)
    applied, refused, failures = [], [], []
    lock = threading.Lock()

    def work(thread):
        try:
            barrier.wait()
            for kind, quantity in plan(thread):
                # A stale instance on purpose: the service must not trust it.
                stale = SupplyInventory(pk=item.pk, quantity_on_hand=Decimal("10"))
                try:
                    movement = stock_apply_movement(
                        item=stale, kind=kind, quantity=quantity, by=user
                    )
                except ValidationError:
                    with lock:
                        refused.append((kind, quantity))
                else:
                    with lock:
                        applied.append(movement.quantity)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(applied) + len(refused) == THREADS * MOVEMENTS_PER_THREAD
    assert len(refused) >= THREADS  # at least every impossible usage
    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("10") + sum(applied)
    assert item.quantity_on_hand >= 0
    ledger = list(item.movements.order_by("pk").values_list("quantity", "quantity_after"))
    assert len(ledger) == 1 + len(applied)
    running = Decimal("0")
    for change, after in ledger:
        running += change
        assert after == running >= 0
    assert running == item.quantity_on_hand
