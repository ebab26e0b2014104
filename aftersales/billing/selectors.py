from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from aftersales.organization.scoping import scope_queryset
from aftersales.repairs.models import Operation, PartLine, RepairOrder

from .models import Invoice, InvoiceLine, WarrantyClaim


def invoices_for(user) -> QuerySet[Invoice]:
    return scope_queryset(Invoice.objects.select_related("center", "customer", "credit_of"), user)


def invoice_get(user, pk) -> Invoice | None:
    return (invoices_for(user).prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.select_related("order").order_by("order", "pk")),
        "payments", "credit_notes").filter(pk=pk).first())


def claims_for(user) -> QuerySet[WarrantyClaim]:
    return scope_queryset(WarrantyClaim.objects.select_related("invoice__center", "reviewed_by"), user)


def orders_to_invoice(user, customer_id) -> QuerySet[RepairOrder]:
    """A customer's orders the user may invoice that still have unbilled chargeable work or parts."""
    billed = InvoiceLine.objects.filter(billed_key__isnull=False)
    open_operation = Operation.objects.filter(order=OuterRef("pk"), order__is_warranty=False).exclude(
        pk__in=billed.filter(operation__isnull=False).values("operation"))
    open_part = PartLine.objects.filter(order=OuterRef("pk"), is_warranty=False, issued_quantity__gt=0).exclude(
        pk__in=billed.filter(part_line__isnull=False).values("part_line"))
    return (scope_queryset(RepairOrder.objects.select_related("state", "product_model"), user)
            .filter(customer_id=customer_id).filter(Q(Exists(open_operation)) | Q(Exists(open_part)))
            .order_by("received_at"))
