import factory

from api.models import WebhookEndpoint
from janitorial_crm.events import EventKind

__all__ = ["WebhookEndpointFactory"]


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An endpoint saved directly (no DNS check): register real ones through the portal."""

    class Meta:
        model = WebhookEndpoint

    owner = factory.SubFactory("tests.factories.users.UserFactory", role="Coordinator")
    name = factory.Sequence(lambda n: f"Integration {n}")
    url = factory.Sequence(lambda n: f"https://hooks{n}.example.com/crm")
    events = factory.LazyFunction(lambda: list(EventKind.values))
    secret = factory.Sequence(lambda n: f"whsec_test-secret-{n}")
