"""The cost estimate put to the customer, the figure they approved, and invoicing within it (issue 13).

An estimate is a list of lines (labour, parts, other costs such as transport) in rials; what the
customer is shown and asked to approve is the total *with VAT* (``BILLING_VAT_PERCENT``, rounded down
in rials the way invoices round it), so it compares directly with the invoice's total.
``RepairOrder.estimate_amount`` holds that total. When the customer approves, the total is kept in
``estimate_approved_amount`` and stays the promise until they approve another: revising the estimate
puts it to the customer again (pending, a new SMS once they had answered the previous one).

Billing refuses to invoice a non-warranty order above the approved amount plus
``REPAIRS_ESTIMATE_TOLERANCE_PERCENT`` unless a manager (``repairs.override_estimate``) allowed a
higher amount with a reason; the allowance is kept on the order and in its history.
An order without an approved estimate has no promise to keep and is invoiced as before.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.persian import format_number
from aftersales.workflow.engine import subject_note

from .models import EstimateLine, RepairOrder

MAX_AMOUNT = 100_000_000_000  # a hundred billion rials, as billing: above this an amount is a typing error


@dataclass
class EstimateFigures:
    """What the customer is shown: the lines, their sum, VAT and the total they approve."""

    lines: list[EstimateLine] = field(default_factory=list)
    subtotal: int | None = None
    vat_percent: int = 0
    vat: int | None = None
    total: int | None = None


def vat_on(subtotal: int) -> int:
    """VAT on an estimate's lines, rounded down in rials like an invoice's."""
    return subtotal * settings.BILLING_VAT_PERCENT // 100


def estimate_figures(order: RepairOrder) -> EstimateFigures:
    """The estimate as the tracking page, the order page and the API show it. A single-amount estimate
    (no lines) has only its total."""
    lines = list(order.estimate_lines.select_related("service_item", "spare_part"))
    if not lines:
        return EstimateFigures(total=order.estimate_amount)
    subtotal = sum(line.amount for line in lines)
    total = order.estimate_amount if order.estimate_amount is not None else subtotal + vat_on(subtotal)
    return EstimateFigures(lines=lines, subtotal=subtotal, vat=total - subtotal, total=total,
                           vat_percent=settings.BILLING_VAT_PERCENT)


def _line_from(index: int, data: dict, errors: list) -> EstimateLine | None:
    """One line as typed; a service or part of the catalog fills in its description and price when left empty."""
    service_item, spare_part = data.get("service_item"), data.get("spare_part")
    description = (data.get("description") or "").strip()
    unit_price = data.get("unit_price")
    kind = data.get("kind") or (EstimateLine.Kind.PART if spare_part else EstimateLine.Kind.LABOUR)
    if service_item is not None:
        description = description or str(service_item.title)
        unit_price = service_item.labour_price if unit_price is None else unit_price
    elif spare_part is not None:
        description = description or str(spare_part.name)
        unit_price = spare_part.price if unit_price is None else unit_price
    quantity = 1 if data.get("quantity") is None else data.get("quantity")
    where = _("Line %(number)s") % {"number": format_number(index)}
    if not description:
        errors.append(_("%(line)s: describe the work or part.") % {"line": where})
    if kind not in EstimateLine.Kind.values:
        errors.append(_("%(line)s: choose labour, part or other.") % {"line": where})
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 1000:
        errors.append(_("%(line)s: quantity must be between 1 and 1,000.") % {"line": where})
        return None
    if isinstance(unit_price, bool) or not isinstance(unit_price, int) or not 0 <= unit_price <= MAX_AMOUNT:
        errors.append(_("%(line)s: enter a unit price in rials between 0 and %(high)s.")
                      % {"line": where, "high": format_number(MAX_AMOUNT)})
        return None
    return EstimateLine(kind=kind, description=description[:300], quantity=quantity, unit_price=unit_price,
                        amount=quantity * unit_price, service_item=service_item, spare_part=spare_part)


def _put(locked: RepairOrder, *, total: int, acting_user) -> RepairOrder:
    """Put ``total`` to the customer as the estimate awaiting their answer; a revision of an estimate
    they had answered is sent to them again."""
    from .services import order_announce

    answered_before = locked.estimate_status in (RepairOrder.Estimate.APPROVED, RepairOrder.Estimate.REFUSED)
    locked.estimate_amount, locked.estimate_status, locked.estimate_answered_at = total, RepairOrder.Estimate.PENDING, None
    locked.estimate_revision += 1
    locked._history_user = acting_user
    locked._change_reason = f"estimate revision {locked.estimate_revision}"
    locked.save()
    comment = _("Cost estimate put to the customer: %(total)s rials (VAT included).") % {"total": format_number(total)}
    if locked.estimate_approved_amount is not None:
        comment += " " + _("The approved %(approved)s rials stay the promise until they approve this one.") % {
            "approved": format_number(locked.estimate_approved_amount)}
    subject_note(locked, by=acting_user, comment=comment, data={"estimate": {"total": total,
                                                                              "revision": locked.estimate_revision}})
    if answered_before and not locked.is_warranty:
        order_announce(locked, "repair_estimate", acting_user=acting_user, key=f"{locked.pk}:estimate-{locked.estimate_revision}")
    return locked


def _locked_open(order: RepairOrder) -> RepairOrder:
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)
    if locked.state.is_final:
        raise ValidationError(_("A closed order's estimate cannot be changed."))
    return locked


@transaction.atomic
def estimate_lines_set(*, order: RepairOrder, lines: list[dict], acting_user) -> RepairOrder:
    """Put an estimate of lines to the customer: its total with VAT becomes ``estimate_amount``, pending
    their answer.

    Each line is a dict of ``kind``, ``description``, ``quantity``, ``unit_price`` and optionally a
    ``service_item`` or ``spare_part`` of the catalog, whose title and price fill an empty
    description or price. Refuses no lines, a line without a description, absurd quantities or
    prices, and a zero total (``lines``). Changing an approved estimate does not change the approved
    amount: the customer is asked again. Implements issue 13 ("the approved estimate is a promise").
    """
    errors, built = [], []
    for index, data in enumerate(lines, start=1):
        line = _line_from(index, data, errors)
        if line is not None:
            built.append(line)
    if not lines:
        errors.append(_("Add at least one line to the estimate."))
    if errors:
        raise ValidationError({"lines": errors})
    subtotal = sum(line.amount for line in built)
    if subtotal <= 0 or subtotal > MAX_AMOUNT:
        raise ValidationError({"lines": [_("The estimate must be more than zero.")]})
    locked = _locked_open(order)
    EstimateLine.objects.filter(order=locked).delete()
    for line in built:
        line.order = locked
    EstimateLine.objects.bulk_create(built)
    return _put(locked, total=subtotal + vat_on(subtotal), acting_user=acting_user)


@transaction.atomic
def estimate_amount_set(*, order: RepairOrder, amount: int, acting_user) -> RepairOrder:
    """Put a single-amount estimate (the total the customer pays, VAT included) to the customer; kept
    for the API's older clients. Replaces any lines."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"estimate_amount": _("The estimate must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({"estimate_amount": _("This amount is not plausible.")})
    locked = _locked_open(order)
    EstimateLine.objects.filter(order=locked).delete()
    return _put(locked, total=amount, acting_user=acting_user)


def estimate_approved(locked: RepairOrder) -> None:
    """Keep the total the customer just approved as the promise; an earlier manager's allowance ends."""
    locked.estimate_approved_amount = locked.estimate_amount
    locked.estimate_override_amount, locked.estimate_override_reason = None, ""
    locked.estimate_override_by, locked.estimate_override_at = None, None


def invoice_limit(order: RepairOrder) -> int | None:
    """The most the customer may be invoiced for this order (VAT included), or None when nothing was
    promised (a warranty repair, no approved estimate)."""
    if order.is_warranty or order.estimate_approved_amount is None:
        return None
    limit = order.estimate_approved_amount * (100 + settings.REPAIRS_ESTIMATE_TOLERANCE_PERCENT) // 100
    return max(limit, order.estimate_override_amount or 0)


def invoice_within_promise(order: RepairOrder, amount: int) -> str | None:
    """Why invoicing ``amount`` more (VAT included) for this order breaks the approved estimate, or None."""
    limit = invoice_limit(order)
    total = (order.invoiced_amount or 0) + amount
    if limit is None or total <= limit:
        return None
    return _("Order %(number)s: the customer approved %(approved)s rials, but the invoice comes to %(amount)s rials "
             "(more than %(tolerance)s%% above it). Either put a revised estimate to the customer and have them "
             "approve it, or have a manager allow this amount with a reason on the order's page.") % {
        "number": order.number, "approved": format_number(order.estimate_approved_amount),
        "amount": format_number(total), "tolerance": format_number(settings.REPAIRS_ESTIMATE_TOLERANCE_PERCENT)}


@transaction.atomic
def estimate_override(*, order: RepairOrder, amount: int, reason: str, acting_user) -> RepairOrder:
    """Allow invoicing this order up to ``amount`` rials (VAT included) above the approved estimate, with
    the reason; recorded in the order's history with who and when.

    Only a role with ``repairs.override_estimate`` (center managers) may; refuses no reason, an amount
    not above what is allowed already, and an order with no approved estimate (nothing to override).
    """
    if not acting_user.has_perm("repairs.override_estimate"):
        raise PermissionDenied(_("Your role may not allow invoicing above the approved estimate."))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for invoicing above the approved estimate.")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        errors["amount"] = _("Enter an amount in rials between %(low)s and %(high)s.") % {
            "low": format_number(1), "high": format_number(MAX_AMOUNT)}
    if errors:
        raise ValidationError(errors)
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)
    limit = invoice_limit(locked)
    if limit is None:
        raise ValidationError(_("This order has no approved estimate to go above; it can be invoiced as it is."))
    if amount <= limit:
        raise ValidationError({"amount": _("Up to %(limit)s rials may be invoiced already.") % {
            "limit": format_number(limit)}})
    locked.estimate_override_amount, locked.estimate_override_reason = amount, reason.strip()[:300]
    locked.estimate_override_by, locked.estimate_override_at = acting_user, timezone.now()
    locked._history_user = acting_user
    locked._change_reason = "estimate override"
    locked.save()
    subject_note(locked, by=acting_user, data={"estimate_override": {"amount": amount, "reason": reason.strip()}},
                 comment=_("Invoicing up to %(amount)s rials allowed (approved estimate %(approved)s rials): %(reason)s")
                 % {"amount": format_number(amount), "approved": format_number(locked.estimate_approved_amount),
                    "reason": reason.strip()})
    return locked


def invoiced_record(*, order: RepairOrder, amount: int) -> None:
    """Add ``amount`` (negative for a credit note) to what the order's live service invoices come to;
    called by billing inside the invoice's transaction."""
    # One UPDATE, so that two invoices of one order's different work committing at once both count.
    orders = RepairOrder.objects.filter(pk=order.pk)
    orders.update(invoiced_amount=Coalesce(F("invoiced_amount"), 0) + amount)
    orders.filter(invoiced_amount__lte=0).update(invoiced_amount=None)
