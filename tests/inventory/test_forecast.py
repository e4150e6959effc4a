"""The usage forecast, computed in SQL from the usage movements of the last window."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from inventory.models import MovementKind, SupplyInventory
from inventory.services import stock_apply_movement
from tests.clock import NOW
from tests.factories import StockItemFactory

pytestmark = pytest.mark.django_db


def at(days_ago, **kwargs):
    """The clock `days_ago` calendar days before NOW (wall-clock arithmetic in the company's
    zone: the window counts calendar days, and 2026-11-01 had 25 hours)."""
    return time_machine.travel(NOW - dt.timedelta(days=days_ago, **kwargs), tick=False)


def history(user, *, opening, reorder, usages, site=None):
    """An item restocked with `opening` 40 days ago, then `usages` as (days_ago, quantity)."""
    extra = {"site": site} if site else {}
    item = StockItemFactory(quantity_on_hand=Decimal("0"), reorder_level=Decimal(reorder), **extra)
    with at(40):
        stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity=opening, by=user)
    for days_ago, quantity in usages:
        with at(days_ago):
            stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity=quantity, by=user)
    return item


def forecast(item):
    with time_machine.travel(NOW, tick=False):
        return SupplyInventory.objects.with_forecast().get(pk=item.pk)


def test_known_history_gives_exact_daily_usage_and_days_left(coordinator):
    # 10 used 35 days ago falls outside the 30-day window; 6 + 9 + 3 = 18 inside it.
    item = history(
        coordinator, opening="40", reorder="5", usages=[(35, "10"), (20, "6"), (10, "9"), (1, "3")]
    )
    result = forecast(item)
    assert result.quantity_on_hand == 12
    assert result.usage_in_window == Decimal("18")
    assert result.daily_usage == pytest.approx(0.6)
    assert result.days_left == pytest.approx(20.0)
    assert result.days_to_reorder == pytest.approx(7 / 0.6)
    assert result.runs_low_soon is False


def test_an_item_reaching_its_reorder_level_within_the_warning_is_flagged_before_it_is_low(
    coordinator,
):
    # 15 used in 30 days: 0.5 a day; 8 on hand, reorder at 5: 6 days to the reorder level.
    item = history(coordinator, opening="23", reorder="5", usages=[(29, "5"), (2, "10")])
    result = forecast(item)
    assert not result.is_low
    assert result.daily_usage == pytest.approx(0.5)
    assert result.days_to_reorder == pytest.approx(6.0)
    assert result.days_left == pytest.approx(16.0)
    assert result.runs_low_soon is True


def test_an_item_already_low_is_low_not_running_low_soon(coordinator):
    item = history(coordinator, opening="10", reorder="5", usages=[(3, "6")])
    result = forecast(item)
    assert result.is_low and result.runs_low_soon is False
    assert result.days_left == pytest.approx(4 / 0.2)


def test_an_item_without_recent_usage_has_no_forecast(coordinator):
    item = history(coordinator, opening="10", reorder="5", usages=[(31, "2")])
    result = forecast(item)
    assert result.usage_in_window == 0
    assert result.daily_usage == 0
    assert result.days_left is None and result.days_to_reorder is None
    assert result.runs_low_soon is False


def test_restocks_and_corrections_do_not_count_as_usage(coordinator):
    item = history(coordinator, opening="10", reorder="1", usages=[(5, "3")])
    with at(4):
        stock_apply_movement(item=item, kind=MovementKind.CORRECTION, quantity="2", by=coordinator)
        stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity="8", by=coordinator)
    assert forecast(item).usage_in_window == 3


def test_the_window_edge_is_exclusive_of_the_start(coordinator):
    item = history(
        coordinator,
        opening="10",
        reorder="1",
        usages=[(30, "1"), (29.999, "2")],
    )
    assert forecast(item).usage_in_window == 2


def test_the_window_follows_the_setting(coordinator, settings):
    settings.STOCK_FORECAST_WINDOW_DAYS = 10
    settings.STOCK_FORECAST_WARN_DAYS = 30
    item = history(coordinator, opening="30", reorder="5", usages=[(20, "10"), (5, "5")])
    result = forecast(item)
    assert result.daily_usage == pytest.approx(0.5)
    assert result.days_left == pytest.approx(30.0)
    assert result.runs_low_soon is True  # 20 days to the reorder level, warned 30 days ahead


def test_the_item_page_shows_the_forecast(coordinator, login):
    item = history(
        coordinator, opening="40", reorder="5", usages=[(35, "10"), (20, "6"), (10, "9"), (1, "3")]
    )
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(item.get_absolute_url())
    text = response.content.decode()
    assert "Uses about 0.6 case a day" in text
    assert "Runs out in about 20 days." in text


def test_the_list_sorts_by_days_left_with_unforecast_items_last(coordinator, login, site):
    slow = history(coordinator, opening="40", reorder="1", usages=[(1, "3")], site=site)  # 370 d
    fast = history(coordinator, opening="40", reorder="1", usages=[(1, "30")], site=site)  # 10 d
    idle = history(coordinator, opening="40", reorder="1", usages=[], site=site)
    client = login(coordinator)
    with time_machine.travel(NOW, tick=False):
        ascending = client.get("/stock/", {"ordering": "days_left"}).context["object_list"]
        descending = client.get("/stock/", {"ordering": "-days_left"}).context["object_list"]
        soon = client.get("/stock/", {"soon": "1"}).context["object_list"]
    assert [i.pk for i in ascending] == [fast.pk, slow.pk, idle.pk]
    assert [i.pk for i in descending] == [slow.pk, fast.pk, idle.pk]
    assert list(soon) == []
