from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from janitorial_crm.roles import Role
from janitorial_crm.usernames import username_key

User = get_user_model()


class SignUpForm(forms.Form):
    """Sign-up, first step: who you are and where the link to finish goes.

    It asks nothing that could already belong to an account, and every valid submission gets the
    same answer ("check your e-mail"), so the page never tells who has an account.
    """

    full_name = forms.CharField(label=_("full name"), max_length=150)
    email = forms.EmailField(label=_("email address"), max_length=254)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class SignUpConfirmForm(UserCreationForm):
    """Sign-up, second step, behind the e-mailed link: choose a username and a password.

    The instance arrives with the e-mail address and name from the link. The account is created
    with no role and waits for an administrator.
    """

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_username(self):
        typed = self.cleaned_data["username"]
        username = username_key(typed)
        # Also the spelling as typed: a database's case-insensitive match and the key's case
        # folding disagree on a few letters, and neither kind of look-alike may be created.
        if User.objects.filter(Q(username__iexact=username) | Q(username__iexact=typed)).exists():
            raise forms.ValidationError(_("This username is taken. Please choose another."))
        return username


class RoleField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", _("— no role (waiting for access) —")), *Role.choices],
            coerce=str,
            empty_value="",
            required=False,
            label=_("Role"),
            **kwargs,
        )
