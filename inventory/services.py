"""Writes to stock: every change of a quantity goes through `stock_apply_movement`.

The item row is locked (SELECT ... FOR UPDATE) for the length of the transaction, the new
quantity is computed from the locked value and the movement is written in the same transaction
with the quantity it leaves. Two people changing the same item at the same moment therefore
queue on the lock instead of overwriting each other, and the ledger replays to the quantity.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inventory.models import MovementKind, StockMovement, SupplyInventory, format_quantity
from janitorial_crm import events
from janitorial_crm.db import unique_violation_as
from janitorial_crm.models import User
from janitorial_crm.roles import Role
from sites.models import ClientSite

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _ToOrder(TypedDict):
        to_order: Decimal

    # An item from `SupplyInventory.objects.with_quantity_to_order()`.
    ItemToOrder = WithAnnotations[SupplyInventory, _ToOrder]

logger = logging.getLogger(__name__)

# The precision of SupplyInventory.quantity_on_hand and StockMovement.quantity.
QUANTITY_PLACES = Decimal("0.01")
QUANTITY_MAX = Decimal("9999999999.99")

SKU_TAKEN = gettext_lazy("This site already stocks an item with this SKU.")

# A quantity as it arrives: a form's Decimal, or the text or number of an API or admin request.
Quantity = Decimal | int | str

# The fields a movement changes on its item (besides the movement row itself).
ItemUpdates = dict[str, Decimal | dt.datetime | None]


class StockBatchError(ValidationError):
    """Some rows of a batch were refused; nothing of the batch was written.

    `errors` maps the index of each refused change to its ValidationError.
    """

    def __init__(self, errors: dict[int, ValidationError]) -> None:
        self.errors = errors
        super().__init__(_("Some quantities were refused; nothing was recorded."))


def _clean_quantity(kind: str, quantity: object) -> Decimal:
    """The quantity as a Decimal with at most two places, or a ValidationError on `quantity`."""
    if kind not in MovementKind.values:
        raise ValidationError({"kind": _("Choose restock, usage or count correction.")})
    try:
        value = quantity if isinstance(quantity, Decimal) else Decimal(str(quantity).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("Enter a number.")}) from None
    if not value.is_finite():
        raise ValidationError({"quantity": _("Enter a number.")})
    if value < 0:
        raise ValidationError({"quantity": _("The quantity cannot be negative.")})
    # Before quantize(): 1e400 has too many digits to quantize at all.
    if value > QUANTITY_MAX:
        raise ValidationError({"quantity": _("This quantity is too large.")})
    if value != value.quantize(QUANTITY_PLACES):
        raise ValidationError({"quantity": _("Use at most two decimal places.")})
    if value == 0 and kind != MovementKind.CORRECTION:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    return value.quantize(QUANTITY_PLACES)


def _apply_locked(
    *, item_pk: int, kind: str, quantity: Decimal, by: User, note: str
) -> tuple[StockMovement, ItemUpdates]:
    """Apply one validated movement; the caller holds a transaction."""
    item = SupplyInventory.objects.select_for_update().get(pk=item_pk)
    on_hand = item.quantity_on_hand
    if kind == MovementKind.RESTOCK:
        change = quantity
    elif kind == MovementKind.USAGE:
        if quantity > on_hand:
            raise ValidationError(
                {
                    "quantity": _(
                        "Only %(on_hand)s %(unit)s on hand: a usage of %(quantity)s would take "
                        "the stock below zero. Count the shelf if the record is wrong."
                    )
                    % {
                        "on_hand": format_quantity(on_hand),
                        "unit": item.get_unit_display(),
                        "quantity": format_quantity(quantity),
                    }
                }
            )
        change = -quantity
    else:  # a count: the counted quantity replaces the recorded one
        change = quantity - on_hand
    after = on_hand + change
    if after > QUANTITY_MAX:
        # The column holds 12 digits: a bigger total is refused on PostgreSQL and stored but
        # unreadable on SQLite. Only a restock can get here (a count is itself <= the max).
        raise ValidationError(
            {
                "quantity": _(
                    "%(on_hand)s %(unit)s on hand: a restock of %(quantity)s would take the "
                    "stock above %(max)s, the most an item can hold. Check the quantity."
                )
                % {
                    "on_hand": format_quantity(on_hand),
                    "unit": item.get_unit_display(),
                    "quantity": format_quantity(quantity),
                    "max": format_quantity(QUANTITY_MAX),
                }
            }
        )
    now = timezone.now()

    updates: ItemUpdates = {"quantity_on_hand": after, "updated_at": now}
    if kind == MovementKind.RESTOCK:
        updates["last_restocked_at"] = now
    if after > item.reorder_level:
        # Back above the reorder level: the next time it runs low is a new alert.
        updates["low_alerted_at"] = None
    SupplyInventory.objects.filter(pk=item.pk).update(**updates)
    events.publish(
        events.EventKind.STOCK_CHANGED,
        object_id=item.pk,
        site_id=item.site_id,
        fields=["quantity_on_hand"],
        quantity_on_hand=after,
    )
    if on_hand > item.reorder_level >= after:
        # Announced once per fall: further usage while already low is no news.
        events.publish(
            events.EventKind.STOCK_LOW,
            object_id=item.pk,
            site_id=item.site_id,
            quantity_on_hand=after,
            reorder_level=item.reorder_level,
        )
    return StockMovement.objects.create(
        item=item,
        kind=kind,
        quantity=change,
        quantity_after=after,
        note=note,
        created_by=by,
    ), updates


def _refresh(item: SupplyInventory, updates: ItemUpdates) -> None:
    for field, value in updates.items():
        setattr(item, field, value)


@transaction.atomic
def stock_apply_movement(
    *, item: SupplyInventory, kind: str, quantity: Quantity, by: User, note: str = ""
) -> StockMovement:
    """Record one movement of `item` and change its quantity accordingly; return the movement.

    - restock: adds `quantity` (> 0) and sets last_restocked_at;
    - usage: takes `quantity` (> 0) away; refused if more than is on hand;
    - correction: `quantity` is what was COUNTED (>= 0); the difference is recorded.

    Raises ValidationError (keyed by "quantity" or "kind") and writes nothing when refused.
    `item` is updated in memory to the new quantity.
    """
    value = _clean_quantity(kind, quantity)
    movement, updates = _apply_locked(
        item_pk=item.pk, kind=kind, quantity=value, by=by, note=note.strip()
    )
    _refresh(item, updates)
    movement.item = item
    return movement


def stock_apply_movements(
    *,
    changes: Sequence[tuple[SupplyInventory, Quantity]],
    kind: str,
    by: User,
    note: str = "",
) -> list[StockMovement]:
    """Record a batch of movements of one kind (a field count): all of them, or none.

    `changes` is a list of (item, quantity). Every row is checked; if any is refused, the
    whole batch is rolled back and StockBatchError lists every refused row by its index.
    Items are locked in primary-key order so that two overlapping batches cannot deadlock.
    """
    errors: dict[int, ValidationError] = {}
    movements: dict[int, StockMovement] = {}
    order = sorted(range(len(changes)), key=lambda index: changes[index][0].pk)
    with transaction.atomic():
        for index in order:
            item, quantity = changes[index]
            try:
                value = _clean_quantity(kind, quantity)
                movements[index], updates = _apply_locked(
                    item_pk=item.pk, kind=kind, quantity=value, by=by, note=note.strip()
                )
            except ValidationError as error:
                errors[index] = error
                continue
            _refresh(item, updates)
        if errors:
            # Leaving the atomic block with an exception rolls back the rows already written.
            raise StockBatchError(errors)
    return [movements[index] for index in range(len(changes))]


def _sku_taken(item: SupplyInventory) -> bool:
    """Whether another item at the item's site has its SKU (the unique constraint)."""
    return (
        SupplyInventory.objects.filter(site_id=item.site_id, sku=item.sku)
        .exclude(pk=item.pk)
        .exists()
    )


@transaction.atomic
def stock_item_create(
    *, item: SupplyInventory, opening_quantity: Quantity | None, by: User
) -> SupplyInventory:
    """Save a new (unsaved) item; an opening quantity is recorded as its first restock.

    A SKU that someone else saved at the site a moment ago (after the form's check) is refused
    next to `sku`."""
    item.quantity_on_hand = Decimal("0")
    with unique_violation_as({"sku": SKU_TAKEN}, taken=lambda: _sku_taken(item)):
        item.save()
    _publish_item_changed(item, ["created"])
    if opening_quantity:
        stock_apply_movement(
            item=item,
            kind=MovementKind.RESTOCK,
            quantity=opening_quantity,
            by=by,
            note=_("Opening stock"),
        )
    return item


@transaction.atomic
def stock_item_update(*, item: SupplyInventory, fields: Iterable[str]) -> SupplyInventory:
    """Save the edited `fields` of an item (name, SKU, category, unit, levels), and only them:
    writing back the whole row would undo a movement saved since the form was loaded. The
    quantity is never one of them (it changes through movements only). A SKU that someone else
    saved at the site a moment ago is refused next to `sku`."""
    names = [name for name in fields if name not in ("quantity_on_hand", "last_restocked_at")]
    with unique_violation_as({"sku": SKU_TAKEN}, taken=lambda: _sku_taken(item)):
        item.save(update_fields=[*names, "updated_at"])
    _publish_item_changed(item, names)
    return item


def _publish_item_changed(item: SupplyInventory, fields: Iterable[str]) -> None:
    events.publish(
        events.EventKind.STOCK_CHANGED,
        object_id=item.pk,
        site_id=item.site_id,
        fields=sorted(fields),
        quantity_on_hand=item.quantity_on_hand,
    )


def stock_send_restock_alerts(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """E-mail every active coordinator a digest of the items that became low since the last
    digest; return (number of items, number of recipients).

    An item is reported once per spell of low stock: `low_alerted_at` marks it as reported and
    is cleared when the item goes back above its reorder level. The mail leaves after commit,
    so a rolled-back run sends nothing and marks nothing (a mail server failing after the
    commit loses that digest: alerts are at most once, never repeated daily).
    """
    now = now or timezone.now()
    recipients = list(
        User.objects.with_role(Role.COORDINATOR)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    if not recipients:
        # Keep the marks unset: the items are reported once someone can receive them.
        return 0, 0
    with transaction.atomic():
        # An item may have stopped being low without a movement (its reorder level was
        # lowered); forget its old alert so that its next spell of low stock is reported.
        SupplyInventory.objects.filter(low_alerted_at__isnull=False).exclude(
            quantity_on_hand__lte=F("reorder_level")
        ).update(low_alerted_at=None)
        # Locked, so two overlapping runs cannot both report the same items.
        pks = list(
            SupplyInventory.objects.low()
            .filter(low_alerted_at__isnull=True)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not pks:
            return 0, len(recipients)
        items = list(
            SupplyInventory.objects.filter(pk__in=pks)
            .select_related("site")
            .with_quantity_to_order()
            .order_by("site__site_name", "item_name", "pk")
        )
        SupplyInventory.objects.filter(pk__in=pks).update(low_alerted_at=now)
        messages = [_digest_message(user=user, items=items) for user in recipients]
        transaction.on_commit(lambda: _send(messages))
    return len(items), len(recipients)


def _digest_message(*, user: User, items: "list[ItemToOrder]") -> EmailMessage:
    sites = {item.site_id for item in items}
    subject = _("Restock needed: %(items)d items at %(sites)d sites") % {
        "items": len(items),
        "sites": len(sites),
    }
    return EmailMessage(
        subject=subject,
        body=_digest_body(user=user, items=items),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _digest_body(*, user: User, items: "list[ItemToOrder]") -> str:
    # Plain text built here rather than in a template: HTML autoescaping would mangle names
    # like "Soap & sanitiser" in a text/plain mail.
    lines = [
        _("Hello %(name)s,") % {"name": user.full_name or user.username},
        "",
        ngettext(
            "This item became low since the last digest:",
            "These %(count)d items became low since the last digest:",
            len(items),
        )
        % {"count": len(items)},
    ]
    site: ClientSite | None = None
    for item in items:
        if item.site_id != getattr(site, "pk", None):
            site = item.site
            lines += ["", str(site)]
        lines.append(
            "  - "
            + _(
                "%(name)s (%(sku)s): %(quantity)s %(unit)s on hand, reorder at %(reorder)s; "
                "order %(order)s %(unit)s"
            )
            % {
                "name": item.item_name,
                "sku": item.sku,
                "quantity": format_quantity(item.quantity_on_hand),
                "unit": item.get_unit_display(),
                "reorder": format_quantity(item.reorder_level),
                "order": format_quantity(item.to_order),
            }
        )
    lines += [
        "",
        _("The low-stock page lists everything that is low now, with the quantity to order."),
        "",
    ]
    return "\n".join(lines)


def _send(messages: list[EmailMessage]) -> None:
    with get_connection() as connection:
        sent = connection.send_messages(messages)
    logger.info("Restock digest sent to %s coordinators", sent)
