"""Invoices from repair orders, payments, credit notes and warranty claims (F14, F28, F32).

What an order costs is split by the warranty engine's decisions: labour of a warranty order and parts
marked warranty at issue go on a warranty invoice (claimed from the manufacturer); the rest goes on the
customer's service invoice. Each operation and part line is billed once (``InvoiceLine.billed_key``
is unique); a credit note frees them again.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.idempotency import caller_key, claimed_once
from aftersales.core.numbering import document_number_assign, provisional_number
from aftersales.core.persian import format_number
from aftersales.repairs.estimates import invoice_within_promise, invoiced_record
from aftersales.repairs.models import Operation, PartLine, RepairOrder

from .models import ClaimDecision, Invoice, InvoiceLine, Payment, WarrantyClaim
from .signals import invoice_issued
from .tallies import invoice_tally, payment_tally

MAX_AMOUNT = 100_000_000_000  # a hundred billion rials: above this an amount is a typing error


@dataclass
class Draft:
    """An invoice before it is issued: what the preview shows and ``invoice_issue`` writes."""

    lines: list[InvoiceLine] = field(default_factory=list)
    discount: int = 0
    transport: int = 0
    vat_percent: int = 0

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def vat(self) -> int:
        """Rounded down in rials, the same way for a credit note's negative lines as for an invoice."""
        base = self.subtotal - self.discount
        vat = abs(base) * self.vat_percent // 100
        return vat if base >= 0 else -vat

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.vat


def _amount_check(value, name: str, *, allow_zero: bool = True) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_AMOUNT:
        raise ValidationError({name: _("Enter an amount in rials between %(low)s and %(high)s.")
                               % {"low": format_number(low), "high": format_number(MAX_AMOUNT)}})
    return value


def billed_ids(items, prefix: str) -> set[int]:
    """The ids of ``items`` (operations, part lines, delivery lines) already on a live invoice line."""
    keys = [f"{prefix}:{item.pk}" for item in items]
    taken = InvoiceLine.objects.filter(billed_key__in=keys).values_list("billed_key", flat=True)
    return {int(key.split(":")[1]) for key in taken}


def _order_lines(orders: list[RepairOrder], *, warranty: bool) -> list[InvoiceLine]:
    """Unbilled labour and parts of these orders on one side of the warranty line."""
    lines = []
    operations = list(Operation.objects.filter(order__in=orders, order__is_warranty=warranty)
                      .select_related("service_item", "order").order_by("order", "performed_at", "pk"))
    done = billed_ids(operations, "operation")
    for operation in operations:
        if operation.pk in done:
            continue
        price = operation.service_item.labour_price
        lines.append(InvoiceLine(order=operation.order, kind=InvoiceLine.Kind.LABOUR, operation=operation,
                                 description=str(operation.service_item.title), quantity=1, unit_price=price,
                                 amount=price, is_warranty=warranty, billed_key=f"operation:{operation.pk}"))
    parts = [line for line in PartLine.objects.filter(order__in=orders, is_warranty=warranty, issued_quantity__gt=0)
             .select_related("spare_part", "order").order_by("order", "pk") if line.used_quantity > 0]
    done = billed_ids(parts, "part")
    for part in parts:
        if part.pk in done:
            continue
        description = str(part.spare_part) + (f" — {part.new_serial}" if part.new_serial else "")
        lines.append(InvoiceLine(order=part.order, kind=InvoiceLine.Kind.PART, part_line=part, description=description,
                                 quantity=part.used_quantity, unit_price=part.unit_price,
                                 amount=part.used_quantity * part.unit_price, is_warranty=warranty,
                                 billed_key=f"part:{part.pk}"))
    return lines


def _orders_check(orders) -> list[RepairOrder]:
    orders = list(orders)
    if not orders:
        raise ValidationError(_("Choose at least one repair order."))
    if len({order.customer_id for order in orders}) > 1:
        raise ValidationError(_("One invoice is for one customer; these orders belong to several."))
    if len({order.center_id for order in orders}) > 1:
        raise ValidationError(_("One invoice is for one service center; these orders belong to several."))
    return orders


def invoice_draft(*, orders, transport: int = 0, discount: int = 0) -> Draft:
    """What a service invoice for these orders of one customer would hold (several orders: the
    comprehensive invoice); nothing is written."""
    orders = _orders_check(orders)
    draft = Draft(lines=_order_lines(orders, warranty=False), vat_percent=settings.BILLING_VAT_PERCENT,
                  transport=_amount_check(transport, "transport"), discount=_amount_check(discount, "discount"))
    if draft.transport:
        draft.lines.append(InvoiceLine(kind=InvoiceLine.Kind.TRANSPORT, description=_("Transport"), quantity=1,
                                       unit_price=draft.transport, amount=draft.transport))
    if draft.discount > draft.subtotal:
        raise ValidationError({"discount": _("The discount cannot exceed the lines' total (%(total)s rials).")
                               % {"total": format_number(draft.subtotal)}})
    return draft


def order_shares(draft: Draft) -> dict[int, int]:
    """What each repair order on the draft comes to, VAT included: its lines, plus its part of the
    transport and discount (in proportion to its lines), plus VAT; the shares add up to the total."""
    own: dict[int, int] = {}
    for line in draft.lines:
        if line.order_id is not None:
            own[line.order_id] = own.get(line.order_id, 0) + line.amount
    if not own:
        return {}
    lines_total = sum(own.values())
    extra = draft.subtotal - lines_total - draft.discount  # transport less discount
    shares = {}
    for order_id, amount in own.items():
        base = amount + (extra * amount // lines_total if lines_total else extra // len(own))
        shares[order_id] = base + (abs(base) * draft.vat_percent // 100) * (1 if base >= 0 else -1)
    last = list(shares)[-1]
    shares[last] += draft.total - sum(shares.values())  # rounding
    return shares


def invoice_promise_check(*, orders, draft: Draft) -> None:
    """Refuse (field ``orders``, code "estimate") an invoice that takes an order above the estimate its
    customer approved, beyond ``REPAIRS_ESTIMATE_TOLERANCE_PERCENT`` and any manager's allowance;
    each order of a comprehensive invoice is checked on its own share. Issue 13."""
    shares = order_shares(draft)
    problems = [problem for order in orders
                if (problem := invoice_within_promise(order, shares.get(order.pk, 0))) is not None]
    if problems:
        raise ValidationError({"orders": problems}, code="estimate")


def _invoiced_record(draft: Draft) -> None:
    for order_id, amount in order_shares(draft).items():
        invoiced_record(order=RepairOrder(pk=order_id), amount=amount)


def _write(invoice: Invoice, draft: Draft) -> Invoice:
    """Save the invoice and its lines under a provisional number; the service ends with ``_number``."""
    invoice.subtotal, invoice.discount, invoice.vat_percent = draft.subtotal, draft.discount, draft.vat_percent
    invoice.vat, invoice.total = draft.vat, draft.total
    invoice.number = provisional_number()
    try:
        with transaction.atomic():
            invoice.save()
            for line in draft.lines:
                line.invoice = invoice
            InvoiceLine.objects.bulk_create(draft.lines)
    except IntegrityError:  # a line billed a moment ago by someone else
        raise ValidationError(_("Some of this work was invoiced a moment ago. Reload and try again."),
                              code="billed") from None
    transaction.on_commit(lambda: invoice_issued.send(sender=Invoice, invoice=invoice))  # numbered by then
    return invoice


def _number(invoice: Invoice) -> Invoice:
    """The last writes of every service that issues an invoice: the rows every biller of the center
    writes, its billing day and then its number sequence. Their locks last only from here to the
    commit, so concurrent invoices of one center overlap all the rest; the number comes last of all,
    so numbers run in commit order with no gap (issue 21)."""
    invoice_tally(invoice)
    document_number_assign(invoice, scope=f"center:{invoice.center_id}", document_type="invoice")
    return invoice


def invoice_for_submission(*, acting_user, submission_key: str | None) -> Invoice | None:
    """The invoice a repeated submission (a double click, a retry) of this user already issued."""
    key = caller_key(user=acting_user, key=submission_key)
    return Invoice.objects.filter(submission_key=key).first() if key else None


@claimed_once(Invoice)
@transaction.atomic
def invoice_issue(*, orders, acting_user, transport: int = 0, discount: int = 0, note: str = "",
                  submission_key: str | None = None) -> Invoice:
    """Issue the service invoice of one or more orders of one customer (labour, parts, transport,
    discount, VAT at ``BILLING_VAT_PERCENT``), numbered per center and Jalali year.

    Refuses orders of several customers or centers, nothing left to invoice (already invoiced, or all
    warranty), a discount above the lines and absurd amounts. A repeated ``submission_key`` (a double
    click) returns the invoice already issued. Implements F14 and F32.
    """
    existing = invoice_for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        return existing
    orders = list(RepairOrder.objects.select_for_update().filter(pk__in=[order.pk for order in orders]))
    draft = invoice_draft(orders=orders, transport=transport, discount=discount)
    if not any(line.kind != InvoiceLine.Kind.TRANSPORT for line in draft.lines):
        raise ValidationError(_("Nothing left to invoice on these orders: the work is invoiced already or "
                                "covered by the warranty."), code="empty")
    invoice_promise_check(orders=orders, draft=draft)
    invoice = _write(Invoice(center_id=orders[0].center_id, kind=Invoice.Kind.SERVICE, customer_id=orders[0].customer_id,
                             note=note.strip()[:300], submission_key=caller_key(user=acting_user, key=submission_key),
                             issued_by=acting_user), draft)
    _invoiced_record(draft)
    return _number(invoice)


@claimed_once(Invoice)
@transaction.atomic
def service_invoice_from_lines(*, center, customer, lines: list[InvoiceLine], acting_user, delivery=None,
                               note: str = "", submission_key: str | None = None) -> Invoice:
    """Issue a service invoice from lines built elsewhere (a delivery document's services): VAT,
    numbering and the one-bill-per-item rule as for repair orders. Lines carry their ``billed_key``."""
    existing = invoice_for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        return existing
    if not lines:
        raise ValidationError(_("Nothing left to invoice."), code="empty")
    draft = Draft(lines=list(lines), vat_percent=settings.BILLING_VAT_PERCENT)
    invoice = _write(Invoice(center=center, kind=Invoice.Kind.SERVICE, customer=customer, delivery=delivery,
                             note=note.strip()[:300], submission_key=caller_key(user=acting_user, key=submission_key),
                             issued_by=acting_user), draft)
    return _number(invoice)


@claimed_once(Invoice)
@transaction.atomic
def warranty_invoice_issue(*, center, acting_user, orders=None, start=None, end=None, bill_to: str = "",
                           submission_key: str | None = None) -> Invoice:
    """Issue a warranty invoice (a claim to head office) for the warranty work of one order, or in a
    batch for the center's orders handed back in a Jalali period; opens its ``WarrantyClaim``."""
    existing = invoice_for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        return existing
    if orders is None:
        if not (start and end) or start > end:
            raise ValidationError({"end": _("Give a period: the start on or before the end.")})
        orders = RepairOrder.objects.filter(center=center, handed_back_at__date__gte=start,
                                            handed_back_at__date__lte=end)
    orders = list(RepairOrder.objects.select_for_update().filter(pk__in=[order.pk for order in orders], center=center))
    draft = Draft(lines=_order_lines(orders, warranty=True), vat_percent=settings.BILLING_VAT_PERCENT)
    if not draft.lines:
        raise ValidationError(_("No warranty work left to claim for these orders."), code="empty")
    invoice = _write(Invoice(center=center, kind=Invoice.Kind.WARRANTY, bill_to=bill_to.strip()[:200] or _("Head office"),
                             period_start=start, period_end=end, submission_key=caller_key(user=acting_user, key=submission_key),
                             issued_by=acting_user), draft)
    WarrantyClaim.objects.create(invoice=invoice)
    return _number(invoice)


@transaction.atomic
def invoice_credit(*, invoice: Invoice, reason: str, acting_user) -> Invoice:
    """Cancel an issued invoice with a credit note of the same lines, negated; the work can then be
    invoiced again. Refuses a credit note of a credit note, a second credit note and no reason."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the credit note.")})
    if invoice.kind == Invoice.Kind.CREDIT:
        raise ValidationError(_("A credit note cannot be credited."), code="state")
    if invoice.credit_notes.exists():
        raise ValidationError(_("This invoice has been credited already."), code="state")
    if hasattr(invoice, "claim") and invoice.claim.status == WarrantyClaim.Status.REVIEWED:
        raise ValidationError(_("Head office has reviewed this claim; it can no longer be credited."), code="state")
    originals = list(invoice.lines.all())
    InvoiceLine.objects.filter(invoice=invoice).update(billed_key=None)
    lines = [InvoiceLine(order_id=line.order_id, kind=line.kind, description=line.description, quantity=-line.quantity,
                         unit_price=line.unit_price, amount=-line.amount, is_warranty=line.is_warranty,
                         operation_id=line.operation_id, part_line_id=line.part_line_id,
                         delivery_line_id=line.delivery_line_id) for line in originals]
    draft = Draft(lines=lines, discount=-invoice.discount, vat_percent=invoice.vat_percent)
    note = Invoice(center_id=invoice.center_id, kind=Invoice.Kind.CREDIT, customer_id=invoice.customer_id,
                   bill_to=invoice.bill_to, credit_of=invoice, note=reason.strip()[:300], issued_by=acting_user)
    note = _write(note, draft)
    if invoice.kind == Invoice.Kind.SERVICE:
        _invoiced_record(draft)  # what the customer pays for the orders drops by the credit
    return _number(note)


@claimed_once(Payment)
@transaction.atomic
def payment_record(*, invoice: Invoice, amount: int, method: str, acting_user, reference: str = "",
                   submission_key: str | None = None) -> Payment:
    """Take a payment (cash, card, transfer) against a service invoice; refuses more than is owed."""
    submission_key = caller_key(user=acting_user, key=submission_key)
    if submission_key:
        existing = Payment.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.SERVICE:
        raise ValidationError(_("Payments are taken on service invoices only."), code="state")
    amount = _amount_check(amount, "amount", allow_zero=False)
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose cash, card or transfer.")})
    if amount > invoice.owed:
        raise ValidationError({"amount": _("Only %(owed)s rials are owed on this invoice.")
                               % {"owed": format_number(invoice.owed)}})
    if method != Payment.Method.CASH and not reference.strip():
        raise ValidationError({"reference": _("Enter the card or transfer tracking number.")})
    payment = Payment.objects.create(invoice=invoice, amount=amount, method=method, reference=reference.strip()[:60],
                                     by=acting_user, submission_key=submission_key or None)
    payment_tally(payment)
    return payment


@transaction.atomic
def claim_review(*, claim: WarrantyClaim, decisions: dict[int, dict], acting_user) -> WarrantyClaim:
    """Head office decides each line of a warranty claim: approve, adjust (a lower amount) or reject
    (with a reason), and may ask for the faulty part back. ``decisions`` maps line ids to
    ``{"decision", "amount", "reason", "part_return"}``. The claim is reviewed once every line is
    decided; the approved amount (with VAT) is what the center is owed."""
    claim = WarrantyClaim.objects.select_for_update().select_related("invoice").get(pk=claim.pk)
    lines = {line.pk: line for line in claim.invoice.lines.all()}
    errors = {}
    for line_id, choice in decisions.items():
        line = lines.get(int(line_id))
        if line is None:
            raise ValidationError(_("That line is not on this claim."))
        decision, reason = choice.get("decision"), (choice.get("reason") or "").strip()
        amount = line.amount if decision == ClaimDecision.Decision.APPROVED else 0
        if decision == ClaimDecision.Decision.ADJUSTED:
            amount = choice.get("amount")
            if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount < line.amount:
                errors[f"amount_{line.pk}"] = _("An adjusted amount is below the claimed %(amount)s rials.") % {
                    "amount": format_number(line.amount)}
        if decision not in ClaimDecision.Decision.values:
            errors[f"decision_{line.pk}"] = _("Choose approve, adjust or reject.")
        elif decision != ClaimDecision.Decision.APPROVED and not reason:
            errors[f"reason_{line.pk}"] = _("Give the reason for «%(line)s».") % {"line": line.description}
        if errors:
            continue
        ClaimDecision.objects.update_or_create(line=line, defaults={
            "claim": claim, "decision": decision, "approved_amount": amount, "reason": reason,
            "part_return_required": bool(choice.get("part_return")), "decided_by": acting_user,
            "decided_at": timezone.now()})
    if errors:
        raise ValidationError(errors)
    decided = list(claim.decisions.all())
    approved = sum(decision.approved_amount for decision in decided)
    claim.approved_total = approved + approved * claim.invoice.vat_percent // 100
    if len(decided) == len(lines):
        claim.status, claim.reviewed_by, claim.reviewed_at = WarrantyClaim.Status.REVIEWED, acting_user, timezone.now()
    claim.save()
    return claim
