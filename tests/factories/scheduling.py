import datetime as dt

import factory

from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from tests import clock

__all__ = ["VisitFactory", "VisitSeriesFactory"]


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CleaningSchedule

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    assigned_to = factory.SubFactory("tests.factories.users.UserFactory", role="Technician")
    service_date = clock.TODAY
    start_time = dt.time(18, 0)
    end_time = dt.time(22, 0)
    status = VisitStatus.SCHEDULED


class VisitSeriesFactory(factory.django.DjangoModelFactory):
    """A series row only; plan real ones with scheduling.services.series_create."""

    class Meta:
        model = VisitSeries

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    assigned_to = factory.SubFactory("tests.factories.users.UserFactory", role="Technician")
    frequency = Frequency.WEEKLY
    first_date = clock.TODAY
    start_time = dt.time(18, 0)
    end_time = dt.time(22, 0)
