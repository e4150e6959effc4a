from janitorial_crm.roles import Role


def navigation(request):
    """Values the base layout needs on every page: the user's role and the low-stock badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role is None:
        return {}
    context = {"user_role": user.role, "Role": Role}
    if user.has_perm("inventory.adjust_stock"):
        from inventory.models import SupplyInventory

        context["low_stock_count"] = SupplyInventory.objects.for_user(user).low().count()
    return context
