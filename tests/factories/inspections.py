import factory

from inspections.models import SiteInspectionLog

__all__ = ["InspectionFactory"]


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteInspectionLog

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    inspector = factory.SubFactory("tests.factories.users.UserFactory", role="Inspector")
    score = 85
    findings = "Lobby floor streaky near the entrance."
    corrective_actions = ""
