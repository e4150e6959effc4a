"""Writes about accounts that do more than save one form."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from janitorial_crm.roles import STAFF_ROLES, Role

if TYPE_CHECKING:
    from janitorial_crm.models import User

SIGNUP_SALT = "janitorial_crm.signup"
SIGNUP_LINK_MAX_AGE = 60 * 60 * 24  # seconds


@transaction.atomic
def user_set_role(*, user: "User", role: Role | str | None) -> "User":
    """Give `user` exactly one role (or none), keeping is_staff in step with it."""
    chosen = Role(role) if role else None
    user.groups.clear()
    if chosen:
        user.groups.add(Group.objects.get(name=chosen.value))
    user.is_staff = user.is_superuser or chosen in STAFF_ROLES
    user.save(update_fields=["is_staff", "updated_at"])
    user.__dict__.pop("role", None)
    return user


def signup_request(*, email: str, full_name: str, base_url: str) -> None:
    """Answer a sign-up by e-mail only, so that the page itself never says who has an account.

    A new address gets a signed link to choose a username and password (nothing is stored until
    then); an address that already has an account is told so and pointed to log-in and password
    reset. `base_url` is the scheme and host the links in the mail start with.
    """
    context: dict[str, Any] = {}
    if get_user_model().objects.filter(email__iexact=email).exists():
        subject = _("You already have an account")
        template = "registration/signup_exists_email.txt"
        context["login_url"] = base_url + reverse("login")
        context["reset_url"] = base_url + reverse("password_reset")
    else:
        subject = _("Finish creating your account")
        template = "registration/signup_email.txt"
        token = signing.dumps({"email": email, "full_name": full_name}, salt=SIGNUP_SALT)
        context["confirm_url"] = base_url + reverse("signup_confirm", args=[token])
        context["valid_hours"] = SIGNUP_LINK_MAX_AGE // 3600
    send_mail(subject, render_to_string(template, context), None, [email])


def signup_link_details(token: str) -> dict[str, str] | None:
    """The e-mail address and name a sign-up link was sent for, or None if it is invalid,
    expired or already used (an account with that address exists)."""
    try:
        details = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if get_user_model().objects.filter(email__iexact=details["email"]).exists():
        return None
    return details
