"""The centers' billing days (``CenterBillingDay``), kept by the billing services.

A service invoice adds its total to ``invoiced`` and ``standing_billed`` on its day; a credit note of
one adds its (negative) total to ``invoiced`` on its own day and takes the credited invoice, with what
was paid on it, out of the standing columns of the invoice's day; a payment adds to ``paid`` on its
day and, on a standing invoice, to ``standing_paid`` on the invoice's day. ``billing_days_rebuild``
recomputes them from the invoices and payments, for data written around the services (a migration,
the demo's dated-back history, a benchmark's fill).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from aftersales.core.tallies import tally_add

from .models import CenterBillingDay, Invoice, Payment


def _add(center_id: int, moment, **delta) -> None:
    tally_add(CenterBillingDay, {"center_id": center_id, "day": timezone.localdate(moment)}, delta)


def invoice_tally(invoice: Invoice) -> None:
    """A service invoice or a credit note of one, just issued."""
    if invoice.kind == Invoice.Kind.SERVICE:
        _add(invoice.center_id, invoice.issued_at, invoiced=invoice.total, standing_billed=invoice.total)
    elif invoice.kind == Invoice.Kind.CREDIT and invoice.credit_of.kind == Invoice.Kind.SERVICE:
        credited = invoice.credit_of
        _add(invoice.center_id, invoice.issued_at, invoiced=invoice.total)
        paid = credited.payments.aggregate(paid=Sum("amount"))["paid"] or 0
        _add(credited.center_id, credited.issued_at, standing_billed=-credited.total, standing_paid=-paid)


def payment_tally(payment: Payment) -> None:
    invoice = payment.invoice
    _add(invoice.center_id, payment.paid_at, paid=payment.amount)
    if not invoice.credit_notes.exists():
        _add(invoice.center_id, invoice.issued_at, standing_paid=payment.amount)


def billing_days_rebuild() -> int:
    """Recompute the centers' billing days from the invoices and payments; returns the rows written."""
    tehran = timezone.get_current_timezone()
    days: dict = defaultdict(dict)
    service = Q(kind=Invoice.Kind.SERVICE) | Q(kind=Invoice.Kind.CREDIT, credit_of__kind=Invoice.Kind.SERVICE)
    for entry in (Invoice.objects.filter(service).annotate(day=TruncDate("issued_at", tzinfo=tehran))
                  .values("center", "day").annotate(total=Sum("total")).order_by()):
        days[entry["center"], entry["day"]]["invoiced"] = entry["total"]
    standing = Invoice.objects.filter(kind=Invoice.Kind.SERVICE, credit_notes__isnull=True)
    for entry in (standing.annotate(day=TruncDate("issued_at", tzinfo=tehran)).values("center", "day")
                  .annotate(total=Sum("total")).order_by()):
        days[entry["center"], entry["day"]]["standing_billed"] = entry["total"]
    for entry in (Payment.objects.filter(invoice__in=standing.values("pk"))
                  .annotate(day=TruncDate("invoice__issued_at", tzinfo=tehran)).values("invoice__center", "day")
                  .annotate(total=Sum("amount")).order_by()):
        days[entry["invoice__center"], entry["day"]]["standing_paid"] = entry["total"]
    for entry in (Payment.objects.annotate(day=TruncDate("paid_at", tzinfo=tehran)).values("invoice__center", "day")
                  .annotate(total=Sum("amount")).order_by()):
        days[entry["invoice__center"], entry["day"]]["paid"] = entry["total"]
    with transaction.atomic():
        CenterBillingDay.objects.all().delete()
        CenterBillingDay.objects.bulk_create([CenterBillingDay(center_id=center, day=day, **values)
                                              for (center, day), values in days.items()], batch_size=5000)
    return len(days)
