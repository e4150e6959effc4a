"""Fixtures for the inspection tests: the evening clock, a visit at the cast's site, and a look
into MEDIA_ROOT (the root conftest points it at a fresh tmp dir per test)."""

import pytest

from tests import clock
from tests.factories import VisitFactory

# Inspections follow the evening's cleaning: these tests run at 21:00 on the suite's day.
EVENING = clock.at(clock.TODAY, 21)


@pytest.fixture(autouse=True)
def _evening(frozen):
    frozen.move_to(EVENING)


@pytest.fixture
def visit(site, technician):
    return VisitFactory(site=site, assigned_to=technician)
