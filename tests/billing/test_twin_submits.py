"""Invoice issue, payments and a delivery's invoice submitted twice at the same instant (same key,
same user): both callers get the same record and one is written (PostgreSQL)."""

import pytest
from django.utils import timezone

from aftersales.billing.models import Invoice, Payment
from aftersales.billing.services import invoice_issue, payment_record
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.services import operation_add
from aftersales.workflow.models import State, Transition, Workflow
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(receive, technician_a, service_item):
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again
    order = receive(serial="TWIN-2")
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
    return order


def test_two_invoice_issues_with_one_key_at_once_give_one_invoice(order, reception_a):
    first, second = at_once(lambda: invoice_issue(orders=[order], acting_user=reception_a, submission_key="inv").pk)
    assert first == second and isinstance(first, int), (first, second)
    assert Invoice.objects.count() == 1


def test_two_payments_with_one_key_at_once_give_one_payment(order, reception_a):
    invoice = invoice_issue(orders=[order], acting_user=reception_a)

    def pay():
        return payment_record(invoice=invoice, amount=invoice.total, method="cash", acting_user=reception_a,
                              submission_key="pay").pk

    first, second = at_once(pay)
    assert first == second and isinstance(first, int), (first, second)
    assert Payment.objects.count() == 1 and Invoice.objects.get(pk=invoice.pk).owed == 0


def test_two_partial_payments_with_one_key_at_once_give_one_payment(order, reception_a):
    invoice = invoice_issue(orders=[order], acting_user=reception_a)

    def pay():
        return payment_record(invoice=invoice, amount=1_000_000, method="cash", acting_user=reception_a,
                              submission_key="pay-part").pk

    first, second = at_once(pay)
    assert first == second and isinstance(first, int), (first, second)
    assert Payment.objects.count() == 1


def test_two_delivery_invoices_with_one_key_at_once_give_one_invoice(center_a, reception_a, service_item):
    from aftersales.billing.deliveries import delivery_invoice_issue, delivery_receive

    delivery = delivery_receive(center=center_a, number="DL-TWIN", delivered_on=timezone.localdate(),
                                customer_mobile="09121234567", customer_name="سارا احمدی",
                                lines=[{"service": "GAS", "quantity": 1}], acting_user=reception_a)

    def issue():
        return delivery_invoice_issue(delivery=delivery, acting_user=reception_a, submission_key="dl").pk

    first, second = at_once(issue)
    assert first == second and isinstance(first, int), (first, second)
    assert Invoice.objects.count() == 1
