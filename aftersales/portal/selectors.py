"""What a signed-in customer sees: only rows of the account's customers, each read in a few statements."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aftersales.billing.models import Invoice
from aftersales.catalog.models import ProductUnit
from aftersales.feedback.models import Survey
from aftersales.repairs.models import Operation, PartLine, RepairOrder
from aftersales.warranty.models import PeriodicService, WarrantyCard
from aftersales.warranty.status import units_warranty_status


@dataclass
class UnitRow:
    unit: ProductUnit
    status: object  # warranty.status.WarrantyStatus

    @property
    def coverage(self):
        return self.status.product


def units(account, *, limit: int | None = None) -> list[UnitRow]:
    """Every unit the customers own (the newest ``limit`` if given), with its warranty state today, newest first."""
    rows = (ProductUnit.objects.filter(owner_id__in=account.ids).select_related("product_model", "brand")
            .order_by("-pk"))
    rows = list(rows[:limit] if limit is not None else rows)
    statuses = units_warranty_status(rows, timezone.localdate())  # one statement, not one a unit
    return [UnitRow(unit, statuses[unit.pk]) for unit in rows]


def unit(account, pk: int) -> ProductUnit:
    """One of the account's units; another customer's is a 404, as one that does not exist."""
    return get_object_or_404(ProductUnit.objects.select_related("product_model", "brand"), pk=pk,
                             owner_id__in=account.ids)


def unit_card(unit_) -> WarrantyCard | None:
    return (WarrantyCard.objects.filter(unit=unit_).exclude(status=WarrantyCard.Status.CANCELLED)
            .select_related("unit__product_model").first())


def unit_visits(unit_) -> list[PeriodicService]:
    return list(PeriodicService.objects.filter(unit=unit_).select_related("performed_by").order_by("sequence"))


def next_visit(visits: list[PeriodicService], today: datetime.date) -> PeriodicService | None:
    return next((v for v in visits if v.done_on is None and v.state_on(today) != PeriodicService.State.MISSED), None)


def orders(account, *, unit_=None):
    """The customers' repair orders, newest first, with what a list tells of each: its state and product. No
    more is joined: each table joined builds one more model for every row, and the lists show a hundred orders."""
    rows = RepairOrder.objects.filter(customer_id__in=account.ids)
    if unit_ is not None:
        rows = rows.filter(unit=unit_)
    return rows.select_related("state", "product_model").order_by("-received_at")


def orders_open_first(account):
    """The customers' repair orders for "my repairs": the open ones first, each part newest first."""
    return orders(account).order_by("state__is_final", "-received_at", "-pk")


def orders_with_work(account, *, unit_=None):
    """Orders with their center, the services done and the parts fitted, for a unit's history in plain words."""
    fitted = PartLine.objects.filter(status=PartLine.Status.ISSUED).select_related("spare_part")
    return orders(account, unit_=unit_).select_related("center").prefetch_related(
        Prefetch("operations", queryset=Operation.objects.select_related("service_item")),
        Prefetch("part_lines", queryset=fitted, to_attr="fitted_parts"))


def order(account, pk: int) -> RepairOrder:
    return get_object_or_404(RepairOrder.objects.select_related("state", "center", "product_model", "unit"), pk=pk,
                             customer_id__in=account.ids)


def order_invoices(account, order_) -> list[Invoice]:
    """The order's invoices billed to the customer (not the warranty invoices billed to head office)."""
    return list(Invoice.objects.filter(customer_id__in=account.ids, lines__order=order_).distinct()
                .prefetch_related("payments", "credit_notes").order_by("issued_at"))


def invoice(account, pk: int) -> Invoice:
    return get_object_or_404(Invoice, pk=pk, customer_id__in=account.ids)


def invoices(account) -> list[Invoice]:
    return list(Invoice.objects.filter(customer_id__in=account.ids).prefetch_related("payments", "credit_notes")
                .order_by("-issued_at"))


def surveys_waiting(account) -> list[Survey]:
    """Surveys sent to the customers and not answered yet, still open."""
    return list(Survey.objects.filter(customer_id__in=account.ids, answered_at__isnull=True,
                                      expires_at__gt=timezone.now()).order_by("-created_at"))


def survey_for(surveys: list[Survey], order_) -> Survey | None:
    ref = f"{RepairOrder._meta.app_label}.{RepairOrder._meta.model_name}:{order_.pk}"
    return next((survey for survey in surveys if survey.ref == ref), None)


def service_requests(account, *, open_only: bool = False):
    """The customers' requests for service, newest first, with the order each became."""
    from aftersales.repairs.models import ServiceRequest

    rows = ServiceRequest.objects.filter(customer_id__in=account.ids)
    if open_only:
        rows = rows.filter(status=ServiceRequest.Status.PENDING)
    # Most customers have none: one plain statement then; the related rows come by pk when there are some
    # (six joins cost more to plan than the rows to read).
    return (rows.select_related("center").prefetch_related("unit__product_model", "product_model", "order__state")
            .order_by("-created_at", "-pk"))


def service_request(account, pk: int):
    from aftersales.repairs.models import ServiceRequest

    return get_object_or_404(ServiceRequest.objects.select_related("customer"), pk=pk, customer_id__in=account.ids)
