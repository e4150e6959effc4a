"""Scheduling test fixtures: a short planning horizon keeps the materialised series small."""

import pytest


@pytest.fixture(autouse=True)
def _short_horizon(settings):
    settings.SCHEDULE_HORIZON_WEEKS = 8
