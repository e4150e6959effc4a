import factory

from sites.models import ClientSite, ServiceLevel, SiteMembership

__all__ = ["ClientSiteFactory", "SiteMembershipFactory"]


class ClientSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientSite

    site_name = factory.Sequence(lambda n: f"Building {n}")
    site_code = factory.Sequence(lambda n: f"S{n:04d}")
    address = factory.Faker("address")
    client_name = factory.Faker("company")
    service_level = ServiceLevel.STANDARD


class SiteMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteMembership

    site = factory.SubFactory(ClientSiteFactory)
    user = factory.SubFactory("tests.factories.users.UserFactory")
    can_see_inspections = False
