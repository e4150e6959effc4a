from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from janitorial_crm.admin_mixins import InputGuardAdminMixin
from janitorial_crm.forms import RoleField
from janitorial_crm.models import User
from janitorial_crm.services import user_set_role


class UserAdminForm(UserChangeForm):
    role = RoleField()

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role:
            self.fields["role"].initial = self.instance.role.value


class UserAddForm(AdminUserCreationForm):
    """Django's admin creation form (password confirmation and the password validators), plus
    the fields every account needs and its role."""

    role = RoleField()

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "full_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


@admin.register(User)
class UserAdmin(InputGuardAdminMixin, DjangoUserAdmin):
    """Accounts and roles. The role replaces the raw group list: one role per user, and
    giving one keeps is_staff in step (services.user_set_role)."""

    form = UserAdminForm
    add_form = UserAddForm
    list_display = ("username", "full_name", "email", "role_display", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email")
    ordering = ("full_name", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (_("Access"), {"fields": ("role", "is_active", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "email", "full_name", "role", "password1")}),)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:
            # Only a superuser manages superusers: otherwise an Admin-group account could reset
            # a superuser's password and take it over.
            users = users.filter(is_superuser=False)
        return users

    @admin.display(description=_("role"))
    def role_display(self, obj):
        return obj.role_label

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_set_role(user=obj, role=form.cleaned_data.get("role") or None)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly
