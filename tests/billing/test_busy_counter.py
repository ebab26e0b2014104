"""Billers of one center issuing at once (PostgreSQL; issue 21): an invoice still being written does not
hold up another of the same center — its number is taken only at the very end — and the numbers run
on with no gap, in the order the invoices were committed. For service invoices, warranty invoices
(the claims), a delivery's invoice and credit notes, which share the center's invoice series."""

import pytest
from django.utils import timezone

from aftersales.billing import services
from aftersales.billing.deliveries import delivery_invoice_issue, delivery_receive
from aftersales.billing.models import Invoice, WarrantyClaim
from aftersales.core.models import DocumentSequence
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.services import operation_add
from aftersales.workflow.models import State, Transition, Workflow
from tests.busy import Pause, overlap, serial

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow():
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again


@pytest.fixture
def worked(receive, technician_a, service_item):
    def make(**options):
        order = receive(**options)
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
        return order
    return make


def _service(worked, reception_a, **_):
    orders = [worked(serial="SLOW-1"), worked(serial="QUICK-1")]
    return [lambda order=order: services.invoice_issue(orders=[order], acting_user=reception_a) for order in orders]


def _warranty(worked, reception_a, warranted_unit, center_a, **_):
    orders = [worked(unit=warranted_unit), worked(unit=warranted_unit)]
    assert all(order.is_warranty for order in orders)
    return [lambda order=order: services.warranty_invoice_issue(center=center_a, orders=[order],
                                                                acting_user=reception_a) for order in orders]


def _delivery(reception_a, center_a, service_item, **_):
    deliveries = [delivery_receive(center=center_a, number=f"DL-{index}", delivered_on=timezone.localdate(),
                                   customer_mobile="09121234567", customer_name="سارا احمدی",
                                   lines=[{"service": service_item.code, "quantity": 1}], acting_user=reception_a)
                  for index in (1, 2)]
    return [lambda delivery=delivery: delivery_invoice_issue(delivery=delivery, acting_user=reception_a)
            for delivery in deliveries]


def _credit(worked, reception_a, **_):
    invoices = [services.invoice_issue(orders=[worked(serial=serial)], acting_user=reception_a)
                for serial in ("SLOW-1", "QUICK-1")]
    return [lambda invoice=invoice: services.invoice_credit(invoice=invoice, reason="اشتباه در مبلغ",
                                                             acting_user=reception_a) for invoice in invoices]


@pytest.mark.parametrize("make", [_service, _warranty, _delivery, _credit], ids=["service", "warranty", "delivery",
                                                                                  "credit"])
def test_a_slow_invoice_does_not_hold_up_another_of_the_center(make, monkeypatch, request, center_a):
    """The first invoice stops just before its end; a second one of the same center goes through
    meanwhile and takes the next number; the first then ends with the number after it. Had the number
    been taken early, the second biller would wait for the first."""
    fixtures = {name: request.getfixturevalue(name)
                for name in ("worked", "reception_a", "center_a", "service_item", "warranted_unit")}
    slow, quick = make(**fixtures)
    before = Invoice.objects.count()
    pause, tally = Pause(), services.invoice_tally

    def slow_tally(invoice):  # the billing day and the number are all that is left
        pause.here()
        tally(invoice)

    monkeypatch.setattr(services, "invoice_tally", slow_tally)
    slow_box, quick_box, finished_meanwhile = overlap(lambda: slow().number, lambda: quick().number, pause)
    assert finished_meanwhile, "the second biller waited for the first one's invoice to end"
    assert serial(slow_box["result"]) == serial(quick_box["result"]) + 1 == before + 2, (slow_box, quick_box)
    sequence = DocumentSequence.objects.get(scope=f"center:{center_a.pk}", document_type="invoice")
    assert sequence.last_number == before + 2
    numbers = sorted(serial(number) for number in Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, before + 3))  # no stand-in left, no gap
    if make is _warranty:
        assert WarrantyClaim.objects.count() == 2
