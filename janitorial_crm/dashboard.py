"""What each role's dashboard shows. The figures are scoped through the for_user() layer."""

from janitorial_crm.roles import Role


def kind_for(user):
    role = user.role
    if role in (Role.ADMIN, Role.SUPERVISOR, Role.COORDINATOR) or user.is_superuser:
        return "operations"
    if role == Role.TECHNICIAN:
        return "technician"
    if role == Role.INSPECTOR:
        return "inspector"
    return "client"


def context_for(user):
    from sites.models import ClientSite

    return {"sites": ClientSite.objects.for_user(user).active()[:20]}
