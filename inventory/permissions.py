"""May this user do this to this stock? Object-level predicates for views and templates.

Row visibility is `SupplyInventory.objects.for_user` / `ClientSite.objects.for_user`; these
predicates answer the next question for a row the user can already see.
"""

from inventory.models import SupplyInventory
from janitorial_crm.models import User
from sites.models import ClientSite


def can_edit_item(user: User, item: SupplyInventory) -> bool:
    """Edit an item's name, SKU, category, unit and levels (never its quantity)."""
    return user.has_perm("inventory.change_supplyinventory")


def can_adjust_stock(user: User, item: SupplyInventory) -> bool:
    """Restock, record usage of or correct any item: coordinators and supervisors."""
    return user.has_perm("inventory.adjust_stock")


def can_record_usage(user: User, site: ClientSite) -> bool:
    """Record usage and shelf counts for the items of `site`: technicians at the sites they are
    assigned to; coordinators and supervisors (who see every site) anywhere."""
    return (
        user.has_perm("inventory.record_usage")
        and ClientSite.objects.for_user(user).filter(pk=site.pk).exists()
    )


def can_record_movement(user: User, item: SupplyInventory, kind: str) -> bool:
    """Record one movement of `kind` on `item`: a restock needs the adjust-stock permission;
    usage and count corrections are also what a technician records at their sites."""
    if can_adjust_stock(user, item):
        return True
    return kind != "restock" and can_record_usage(user, item.site)
