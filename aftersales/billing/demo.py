"""Demo invoices at the demo logins' center, from the demo repair orders, through the services:
service invoices paid in full, in part and not yet, one credited (a credit note) and issued again
with a discount, and a warranty invoice whose claim waits for head office's review."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from aftersales.repairs.models import RepairOrder

from .models import Invoice, Payment
from .services import invoice_credit, invoice_issue, payment_record, warranty_invoice_issue


def _pay_in_full(invoice, user):
    payment_record(invoice=invoice, amount=invoice.owed, method=Payment.Method.CASH, acting_user=user)


def _pay_in_part(invoice, user):
    payment_record(invoice=invoice, amount=invoice.owed // 2 // 10_000 * 10_000 or invoice.owed,
                   method=Payment.Method.CARD, reference="724519", acting_user=user)


def _credit_and_reissue(invoice, user):
    """Credit the invoice (a discount was promised and forgotten) and issue it again with it."""
    order = invoice.lines.exclude(order=None).first().order
    invoice_credit(invoice=invoice, reason="تخفیف ۱۰ درصدی مشتری وفادار در فاکتور اعمال نشده بود", acting_user=user)
    again = invoice_issue(orders=[order], acting_user=user, discount=invoice.subtotal // 10 // 10_000 * 10_000,
                          note="صادر شده به جای فاکتور ابطال‌شده، با تخفیف")
    payment_record(invoice=again, amount=again.owed, method=Payment.Method.TRANSFER, reference="140501150042",
                   acting_user=user)


# What happens to the invoices of the handed-back paid orders, in order; a ready order's invoice waits.
HANDED_BACK = [_pay_in_full, _pay_in_part, _credit_and_reissue]


def seed_billing(*, size: str, rng) -> str:
    if Invoice.objects.exists():
        return "already present"
    accountant = get_user_model().objects.filter(username="accountant").first()
    if accountant is None:
        return "no demo staff"
    center = accountant.centers.order_by("code").first()
    orders = RepairOrder.objects.filter(center=center).select_related("state").order_by("pk")
    paid = [order for order in orders if not order.is_warranty and order.state.code in ("delivered", "ready")]
    plans = iter(HANDED_BACK)
    left_out = []
    for order in paid:
        plan = next(plans, None) if order.state.code == "delivered" else None
        try:
            with transaction.atomic():
                invoice = invoice_issue(orders=[order], acting_user=accountant)
                if plan is not None:
                    plan(invoice, accountant)
        except ValidationError as error:
            left_out.append(f"{order.number}: {' '.join(error.messages)}")
    claimed = [order for order in orders if order.is_warranty and order.state.code == "delivered"]
    if claimed:
        try:
            with transaction.atomic():
                warranty_invoice_issue(center=center, orders=claimed, acting_user=accountant)
        except ValidationError as error:
            left_out.append(f"claim: {' '.join(error.messages)}")
    line = (f"{Invoice.objects.filter(kind=Invoice.Kind.SERVICE).count()} invoices, "
            f"{Invoice.objects.filter(kind=Invoice.Kind.CREDIT).count()} credit note, {Payment.objects.count()} payments, "
            f"{Invoice.objects.filter(kind=Invoice.Kind.WARRANTY).count()} warranty claim")
    return line + (f"; left out: {'; '.join(left_out)}" if left_out else "")
