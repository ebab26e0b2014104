"""Stock movements of the built-in warehouse: every change of a level is one ledger row in the same
transaction, under a row lock, so stock never goes negative however many people issue at once (F12).

Callers outside this app go through ``backends.stock()`` (the seam an ERPNext backend replaces).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.core.persian import format_number

from .models import StockLevel, StockMove, Warehouse

MAX_QUANTITY = 100_000
MAX_UNIT_COST = 10_000_000_000  # ten billion rials a piece: above this a price is a typing error


def _quantity_check(quantity, field: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({field: _("Quantity must be a whole number between 1 and %(max)s.")
                               % {"max": format_number(MAX_QUANTITY)}})
    return quantity


def _cost_check(unit_cost) -> int:
    if isinstance(unit_cost, bool) or not isinstance(unit_cost, int) or not 0 <= unit_cost <= MAX_UNIT_COST:
        raise ValidationError({"unit_cost": _("Enter a unit cost in rials between 0 and %(max)s.")
                               % {"max": format_number(MAX_UNIT_COST)}})
    return unit_cost


def _level_locked(warehouse: Warehouse, spare_part) -> StockLevel:
    """The (warehouse, part) row, created at zero if missing, locked until the transaction ends."""
    level = StockLevel.objects.select_for_update().filter(warehouse=warehouse, spare_part=spare_part).first()
    if level is None:
        try:
            with transaction.atomic():
                StockLevel.objects.create(warehouse=warehouse, spare_part=spare_part)
        except IntegrityError:  # created a moment ago by a concurrent movement
            pass
        level = StockLevel.objects.select_for_update().get(warehouse=warehouse, spare_part=spare_part)
    return level


def _move(level: StockLevel, *, kind: str, quantity: int, value: int, acting_user, reference: str = "",
          reason: str = "") -> StockMove:
    level.quantity += quantity
    level.value += value
    if level.quantity == 0:
        level.value = 0  # rounding leftovers of the average go with the last piece
    level.save(update_fields=["quantity", "value", "updated_at"])
    return StockMove.objects.create(
        warehouse=level.warehouse, spare_part=level.spare_part, kind=kind, quantity=quantity,
        unit_cost=abs(value) // abs(quantity) if quantity else 0, value=value, balance=level.quantity,
        reference=reference[:80], reason=reason.strip()[:300], by=acting_user)


def _active(warehouse: Warehouse) -> Warehouse:
    if not warehouse.is_active:
        raise ValidationError({"warehouse": _("The warehouse «%(name)s» is closed.") % {"name": warehouse.name}})
    return warehouse


@transaction.atomic
def stock_receive(*, warehouse: Warehouse, spare_part, quantity: int, unit_cost: int, acting_user,
                  reference: str = "", reason: str = "") -> StockMove:
    """Take parts into a warehouse at a unit cost (a purchase or a delivery from head office)."""
    quantity, unit_cost = _quantity_check(quantity), _cost_check(unit_cost)
    level = _level_locked(_active(warehouse), spare_part)
    return _move(level, kind=StockMove.Kind.RECEIPT, quantity=quantity, value=quantity * unit_cost,
                 acting_user=acting_user, reference=reference, reason=reason)


def _take(level: StockLevel, quantity: int, *, kind: str, acting_user, reference: str, reason: str = "") -> StockMove:
    if level.quantity < quantity:
        raise ValidationError({"quantity": _("Only %(have)s of «%(part)s» in «%(warehouse)s»; %(want)s asked for.") % {
            "have": format_number(level.quantity), "part": level.spare_part, "warehouse": level.warehouse.name,
            "want": format_number(quantity)}})
    value = level.value if quantity == level.quantity else level.average_cost * quantity
    return _move(level, kind=kind, quantity=-quantity, value=-value, acting_user=acting_user, reference=reference,
                 reason=reason)


@transaction.atomic
def stock_issue(*, warehouse: Warehouse, spare_part, quantity: int, acting_user, reference: str = "") -> StockMove:
    """Issue parts at their average cost; refuses more than the warehouse holds (ValidationError)."""
    quantity = _quantity_check(quantity)
    level = _level_locked(_active(warehouse), spare_part)
    return _take(level, quantity, kind=StockMove.Kind.ISSUE, acting_user=acting_user, reference=reference)


@transaction.atomic
def stock_return(*, warehouse: Warehouse, spare_part, quantity: int, unit_cost: int, acting_user,
                 reference: str = "") -> StockMove:
    """Put unused parts back at the cost they were issued at."""
    quantity, unit_cost = _quantity_check(quantity), _cost_check(unit_cost)
    level = _level_locked(_active(warehouse), spare_part)
    return _move(level, kind=StockMove.Kind.RETURN, quantity=quantity, value=quantity * unit_cost,
                 acting_user=acting_user, reference=reference)


@transaction.atomic
def stock_transfer(*, source: Warehouse, target: Warehouse, spare_part, quantity: int, acting_user,
                   reason: str = "") -> tuple[StockMove, StockMove]:
    """Move parts between warehouses (also between centers) at their average cost."""
    quantity = _quantity_check(quantity)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another warehouse to transfer to.")})
    _active(source), _active(target)
    # Lock both rows in one order (by id) so two opposite transfers cannot deadlock.
    first, second = sorted([source, target], key=lambda w: w.pk)
    levels = {first.pk: _level_locked(first, spare_part), second.pk: _level_locked(second, spare_part)}
    reference = f"transfer:{source.code}>{target.code}"
    out = _take(levels[source.pk], quantity, kind=StockMove.Kind.TRANSFER_OUT, acting_user=acting_user,
                reference=reference, reason=reason)
    into = _move(levels[target.pk], kind=StockMove.Kind.TRANSFER_IN, quantity=quantity, value=-out.value,
                 acting_user=acting_user, reference=reference, reason=reason)
    return out, into


@transaction.atomic
def stock_adjust(*, warehouse: Warehouse, spare_part, counted: int, reason: str, acting_user) -> StockMove | None:
    """Set the quantity to what was counted, with the reason (a stock-take); the value follows the
    average cost. Returns None when the count matches."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    if isinstance(counted, bool) or not isinstance(counted, int) or not 0 <= counted <= MAX_QUANTITY:
        raise ValidationError({"counted": _("Enter the counted quantity (0 or more).")})
    level = _level_locked(warehouse, spare_part)
    delta = counted - level.quantity
    if delta == 0:
        return None
    if delta < 0:
        return _take(level, -delta, kind=StockMove.Kind.ADJUSTMENT, acting_user=acting_user, reference="", reason=reason)
    cost = level.average_cost or spare_part.price
    return _move(level, kind=StockMove.Kind.ADJUSTMENT, quantity=delta, value=delta * cost, acting_user=acting_user,
                 reason=reason)


@transaction.atomic
def stock_minimum_set(*, warehouse: Warehouse, spare_part, minimum: int, acting_user) -> StockLevel:
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= MAX_QUANTITY:
        raise ValidationError({"minimum": _("Enter a minimum level of 0 or more.")})
    level = _level_locked(warehouse, spare_part)
    level.minimum = minimum
    level.save(update_fields=["minimum", "updated_at"])
    return level
