from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class BoundedUsernameMixin:
    """Refuse an over-long username as a field error, before anything reaches the database.

    AuthenticationForm only sets the username's max_length for the browser; without a validator a
    300-character name went on to the login lockout's varchar(255) and failed there.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """One generic failure message: it never says whether the username exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password."),
        "inactive": _("Wrong username or password."),
    }


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's log-in form with the same bound on the username."""
