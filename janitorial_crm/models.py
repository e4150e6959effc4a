"""The custom user: e-mail required and unique, a full name, and a role derived from its group."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from janitorial_crm.access_cache import access_of
from janitorial_crm.roles import COMPANY_WIDE_ROLES, Role
from janitorial_crm.usernames import username_key

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TimeStampedModel(models.Model):
    """created_at / updated_at for every domain model."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UserQuerySet(models.QuerySet):
    def with_role(self, *roles: Role | str) -> "UserQuerySet":
        return self.filter(groups__name__in=[str(role) for role in roles])

    def active_technicians(self) -> "UserQuerySet":
        return (
            self.filter(is_active=True).with_role(Role.TECHNICIAN).order_by("full_name", "username")
        )


# django-stubs' plugin cannot build a type for `UserManager.from_queryset(UserQuerySet)` in the
# module of AUTH_USER_MODEL itself (the manager's type depends on the model being defined), so
# the queryset's methods are forwarded by hand.
class CrmUserManager(UserManager["User"]):
    def get_queryset(self) -> UserQuerySet:
        # django-stubs leave out the manager's router hints, which every manager has.
        hints = self._hints  # type: ignore[attr-defined]
        return UserQuerySet(model=self.model, using=self._db, hints=hints)

    def with_role(self, *roles: Role | str) -> UserQuerySet:
        return self.get_queryset().with_role(*roles)

    def active_technicians(self) -> UserQuerySet:
        return self.get_queryset().active_technicians()

    def get_by_natural_key(self, username: str | None) -> "User":
        """The account whose username has the same `username_key` as `username`.

        The database's case-insensitive match depends on its collation (PostgreSQL's upper()
        also maps a dotless "ı" to "I"); keeping only candidates with the same key means every
        spelling that logs in to an account is one the login lockout counts against it.
        """
        key = username_key(username)
        candidates = self.filter(**{f"{self.model.USERNAME_FIELD}__iexact": username})
        matches = [user for user in candidates if username_key(user.get_username()) == key]
        if len(matches) != 1:
            # None, or two hand-made usernames that differ only in what the key folds away:
            # refuse rather than guess which account is meant.
            raise self.model.DoesNotExist
        return matches[0]


class User(AbstractUser):
    """A person who logs in: staff of the cleaning company or a client's facility manager.

    The role is the one auth group the user belongs to (see `janitorial_crm.roles`); it is never
    stored twice. Change it through `janitorial_crm.services.user_set_role`, which keeps is_staff
    in step.
    """

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    REQUIRED_FIELDS = ["email"]

    objects: ClassVar[CrmUserManager] = CrmUserManager()

    class Meta:
        ordering = ["full_name", "username"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            models.CheckConstraint(condition=~models.Q(email=""), name="user_email_required"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        super().save(*args, **kwargs)

    @cached_property
    def role(self) -> Role | None:
        """The user's Role, or None while waiting for access. Uses prefetched groups if any,
        else the groups `access_of` reads with the permissions (no query of its own)."""
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):
            names = {group.name for group in self.groups.all()}
        else:
            names = set(access_of(self).group_names)
        for role in Role:
            if role.value in names:
                return role
        if self.is_superuser:
            return Role.ADMIN
        return None

    @property
    def role_label(self) -> "StrOrPromise":
        return self.role.label if self.role else _("Waiting for access")

    @property
    def sees_everything(self) -> bool:
        """Company-wide roles see every row; the for_user() querysets build on this."""
        return self.is_active and (self.is_superuser or self.role in COMPANY_WIDE_ROLES)
