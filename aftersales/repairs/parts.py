"""Parts for repair orders (F12, F34): the technician's request, the warehouse keeper's issue, partial
issue, back-order and return, and the serials of replaced parts. Stock moves through the stock backend
(``stock.backends.stock()``) in the same transaction, so an order's part line and the warehouse
ledger stand or fall together.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import UnitEvent
from aftersales.catalog.services import unit_event_record
from aftersales.core.persian import format_number, normalize_identifier
from aftersales.organization.scoping import scope_queryset
from aftersales.stock.backends import stock
from aftersales.warranty.status import unit_warranty_status

from .models import PartLine
from .tallies import part_tally

OPEN = (PartLine.Status.REQUESTED, PartLine.Status.PARTIAL, PartLine.Status.BACKORDERED)


def _locked(line: PartLine, version: int | None = None) -> PartLine:
    locked = PartLine.objects.select_for_update().select_related("order", "spare_part").get(pk=line.pk)
    if version is not None and locked.version != version:
        raise ValidationError(_("This part line changed a moment ago (now: %(status)s, issued %(issued)s). "
                                "Reload and try again.") % {"status": locked.get_status_display(),
                                                            "issued": format_number(locked.issued_quantity)},
                              code="stale")
    return locked


def _saved(line: PartLine, *fields: str) -> PartLine:
    line.version += 1
    line.save(update_fields=[*fields, "version"])
    return line


def part_is_warranty(order, spare_part) -> bool:
    """Whether the manufacturer pays for this part: a warranty order, and the part's component (if it
    has one the policy names) is itself still covered (F28)."""
    if not order.is_warranty:
        return False
    if order.unit_id is None or spare_part.component_type_id is None:
        return True
    return unit_warranty_status(order.unit).component(spare_part.component_type_id).is_covered


@transaction.atomic
def part_issue(*, line: PartLine, warehouse, quantity: int, acting_user, version: int | None = None) -> PartLine:
    """Issue ``quantity`` of a requested part from ``warehouse`` (all of it or part of it).

    Refuses more than is still to issue, more than the warehouse holds, a warehouse of another
    center and a stale page. The part is priced at the list price of the day and marked warranty or
    chargeable by the warranty engine. Implements F12.
    """
    line = _locked(line, version)
    if line.status not in OPEN:
        raise ValidationError(_("This part line is %(status)s; nothing to issue.")
                              % {"status": line.get_status_display()}, code="state")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= line.outstanding:
        raise ValidationError({"quantity": _("Issue between 1 and %(left)s.") % {"left": format_number(line.outstanding)}})
    if warehouse.center_id != line.order.center_id:
        raise ValidationError({"warehouse": _("Issue from a warehouse of the order's center.")})
    movement = stock().issue(warehouse=warehouse, spare_part=line.spare_part, quantity=quantity,
                             acting_user=acting_user, reference=f"repair:{line.order.number}:{line.pk}")
    if line.issued_quantity:  # a later partial issue: keep one average cost for the line
        line.unit_cost = (line.unit_cost * line.issued_quantity + movement.unit_cost * quantity) // (
            line.issued_quantity + quantity)
    else:
        line.unit_cost = movement.unit_cost
        line.unit_price = line.spare_part.price
        line.is_warranty = part_is_warranty(line.order, line.spare_part)
    line.warehouse = warehouse
    part_tally(line, lines=0 if line.issued_quantity else 1, quantity=quantity)
    line.issued_quantity += quantity
    line.status = PartLine.Status.ISSUED if line.issued_quantity == line.quantity else PartLine.Status.PARTIAL
    line.issued_at, line.issued_by = timezone.now(), acting_user
    return _saved(line, "warehouse", "issued_quantity", "status", "issued_at", "issued_by", "unit_cost", "unit_price",
                  "is_warranty")


@transaction.atomic
def part_backorder(*, line: PartLine, acting_user, note: str = "") -> PartLine:
    """Mark what is still to issue as back-ordered (none in stock); it stays in the warehouse's queue."""
    line = _locked(line)
    if line.status not in (PartLine.Status.REQUESTED, PartLine.Status.PARTIAL):
        raise ValidationError(_("Only a requested or partly issued part can be back-ordered."), code="state")
    line.status = PartLine.Status.BACKORDERED
    if note.strip():
        line.note = note.strip()[:300]
    return _saved(line, "status", "note")


@transaction.atomic
def part_return(*, line: PartLine, quantity: int, acting_user, version: int | None = None) -> PartLine:
    """Return unused pieces to the warehouse they came from, at the cost they were issued at; refuses
    more than was issued and not yet returned."""
    line = _locked(line, version)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= line.used_quantity:
        raise ValidationError({"quantity": _("Return between 1 and %(most)s (issued and not yet returned).")
                               % {"most": format_number(line.used_quantity)}})
    if line.billed:
        raise ValidationError(_("This part is on an invoice; issue a credit note before returning it."), code="billed")
    stock().give_back(warehouse=line.warehouse, spare_part=line.spare_part, quantity=quantity, unit_cost=line.unit_cost,
                      acting_user=acting_user, reference=f"repair:{line.order.number}:{line.pk}")
    line.returned_quantity += quantity
    part_tally(line, lines=0, quantity=-quantity)
    if line.returned_quantity == line.issued_quantity and line.issued_quantity == line.quantity:
        line.status = PartLine.Status.RETURNED
    return _saved(line, "returned_quantity", "status")


@transaction.atomic
def part_cancel(*, line: PartLine, acting_user) -> PartLine:
    """Cancel what is still to issue (issued pieces are returned with ``part_return``)."""
    line = _locked(line)
    if line.status not in OPEN:
        raise ValidationError(_("This part line is %(status)s; nothing to cancel.")
                              % {"status": line.get_status_display()}, code="state")
    if line.issued_quantity:
        line.quantity = line.issued_quantity
        line.status = PartLine.Status.ISSUED
        return _saved(line, "quantity", "status")
    line.status = PartLine.Status.CANCELLED
    return _saved(line, "status")


@transaction.atomic
def part_replacement_record(*, line: PartLine, acting_user, new_serial: str = "", old_serial: str = "",
                            fate: str = "") -> PartLine:
    """Record the serials of the part fitted and the part removed, and what became of the removed one.

    A fitted part that is a component of the unit (compressor, board…) becomes the unit's component
    from today, so the warranty engine gives it its own warranty from this day (F34).
    """
    line = _locked(line)
    if not line.issued_quantity:
        raise ValidationError(_("Record serials after the part is issued."), code="state")
    if fate and fate not in PartLine.Fate.values:
        raise ValidationError({"fate": _("Unknown choice.")})
    line.new_serial, line.old_serial = normalize_identifier(new_serial)[:40], normalize_identifier(old_serial)[:40]
    line.old_part_fate = fate or line.old_part_fate or PartLine.Fate.PENDING
    order = line.order
    component = line.spare_part.component_type
    if line.new_serial and component is not None and order.unit_id:
        unit_event_record(unit=order.unit, kind=UnitEvent.Kind.COMPONENT_REPLACED, occurred_at=timezone.now(),
                          acting_user=acting_user, external_id=f"part-line-{line.pk}", reference=order.number,
                          details={"component_type": component.code, "component_serial": line.new_serial,
                                   "old_serial": line.old_serial})
    return _saved(line, "new_serial", "old_serial", "old_part_fate")


def parts_queue(user, *, include_backordered: bool = True):
    """The warehouse keeper's cartable: part lines still to issue at the user's centers, oldest first."""
    from .models import RepairOrder

    statuses = list(OPEN) if include_backordered else [PartLine.Status.REQUESTED, PartLine.Status.PARTIAL]
    orders = scope_queryset(RepairOrder.objects.all(), user).filter(state__is_final=False)
    return (PartLine.objects.filter(status__in=statuses, order__in=orders.values("pk"))
            .select_related("order__center", "spare_part", "requested_by").order_by("requested_at", "pk"))
