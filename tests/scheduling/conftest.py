"""Scheduling test fixtures: the company's zone pinned and a frozen "now"."""

import pytest
import time_machine

from tests.scheduling.helpers import NOW


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.SCHEDULE_HORIZON_WEEKS = 8


@pytest.fixture
def frozen():
    """Time stands still at helpers.NOW; `frozen.move_to(...)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
