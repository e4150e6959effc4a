import factory
from django.contrib.auth import get_user_model

from janitorial_crm.roles import Role
from janitorial_crm.services import user_set_role

__all__ = ["UserFactory", "make_user"]

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            user_set_role(user=self, role=extracted)


def make_user(role=None, **kwargs):
    """A user with `role` (a Role or None for a waiting account)."""
    return UserFactory(role=Role(role) if role else None, **kwargs)
