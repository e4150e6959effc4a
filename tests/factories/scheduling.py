import datetime as dt

import factory

from scheduling.models import CleaningSchedule, VisitStatus

__all__ = ["VisitFactory"]


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CleaningSchedule

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    assigned_to = factory.SubFactory("tests.factories.users.UserFactory", role="Technician")
    service_date = factory.LazyFunction(lambda: dt.date(2026, 11, 24))
    start_time = dt.time(18, 0)
    end_time = dt.time(22, 0)
    status = VisitStatus.SCHEDULED
