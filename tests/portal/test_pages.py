"""What a signed-in customer sees on the portal (issue 22): every unit with its warranty state and end date,
components, periodic services, the card; repairs with their state, estimate, receipts and invoices as PDF, what is
owed; and nothing of another customer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.services import invoice_issue, payment_record
from aftersales.catalog.models import ProductModel, ProductUnit
from aftersales.customers.models import Customer
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import estimate_set, operation_add
from aftersales.warranty.models import VoidReason
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner, portal_sign_in):
    portal_sign_in(client)
    return client


@pytest.fixture
def units_in_every_state(owner, warranted_unit, fridge_model, technician_a):
    """One unit of the owner in each warranty state (the 18-month policy of ``warranted_unit``)."""
    def unit(serial, model=fridge_model):
        return ProductUnit.objects.create(serial=serial, brand=model.brand, product_model=model, owner=owner)

    expired = unit("RF-OLD-1")
    card = warranty_card_issue(unit=expired)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=800),
                           channel="staff")
    not_activated = unit("RF-NEW-1")
    warranty_card_issue(unit=not_activated)
    voided = unit("RF-VOID-1")
    card = warranty_card_issue(unit=voided)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=30),
                           channel="staff")
    warranty_void(unit=voided, reason=VoidReason.VOLTAGE, acting_user=technician_a)
    fan_model = ProductModel.objects.create(code="FAN-1", name="پنکه رومیزی", brand=fridge_model.brand,
                                            group=fridge_model.group)
    no_policy = unit("FAN-0001", fan_model)
    return {"active": warranted_unit, "expired": expired, "not_activated": not_activated, "voided": voided,
            "no_policy": no_policy}


def test_my_products_lists_every_unit_with_its_warranty_state_and_end_date(signed_in, units_in_every_state):
    page = signed_in.get(reverse("portal:units")).content.decode()
    for state, unit in units_in_every_state.items():
        assert f'data-state="{state}"' in page, state
        assert unit.serial in page
    active = units_in_every_state["active"]
    detail = signed_in.get(reverse("portal:unit", args=[active.pk])).content.decode()
    assert 'data-testid="portal-warranty" data-state="active"' in detail
    assert 'data-testid="portal-warranty-end"' in detail


def test_a_units_page_shows_its_components_card_periodic_services_and_history_in_plain_words(
        signed_in, warranted_unit, receive, technician_a, service_item):
    from aftersales.catalog.models import ComponentType, UnitComponent
    from aftersales.warranty.models import PeriodicService

    UnitComponent.objects.create(unit=warranted_unit, component_type=ComponentType.objects.get(code="COMPRESSOR"),
                                 serial="CMP-9", fitted_on=timezone.localdate() - datetime.timedelta(days=60))
    PeriodicService.objects.create(unit=warranted_unit, sequence=1, is_free=True,
                                   due_on=timezone.localdate() + datetime.timedelta(days=100))
    order = receive(unit=warranted_unit, description="برفک زیاد می‌زند")
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    page = signed_in.get(reverse("portal:unit", args=[warranted_unit.pk])).content.decode()
    assert 'data-testid="portal-components"' in page and "کمپرسور" in page
    assert 'data-testid="portal-next-visit"' in page
    assert "برفک زیاد می‌زند" in page and "شارژ گاز" in page  # what they said and what was done
    pdf = signed_in.get(reverse("portal:unit-card-pdf", args=[warranted_unit.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_my_repairs_shows_state_promised_date_estimate_and_the_customer_answers_it(
        signed_in, receive, reception_a):
    order = receive(serial="NON-1", promised_on=timezone.localdate() + datetime.timedelta(days=3))
    estimate_set(order=order, amount=4_500_000, acting_user=reception_a)
    home = signed_in.get(reverse("portal:home")).content.decode()
    assert 'data-testid="portal-estimate-waiting"' in home
    page = signed_in.get(reverse("portal:repair", args=[order.pk])).content.decode()
    assert 'data-testid="portal-estimate"' in page and order.state.label_for_customer in page
    assert 'data-testid="portal-tracking-code"' in page
    response = signed_in.post(reverse("portal:repair", args=[order.pk]), {"answer": "approve"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.estimate_status == RepairOrder.Estimate.APPROVED
    assert 'data-answer="approved"' in signed_in.get(reverse("portal:repair", args=[order.pk])).content.decode()


def test_invoices_download_as_pdf_with_payments_and_what_is_owed(signed_in, receive, reception_a, technician_a,
                                                                service_item):
    order = receive(serial="NON-2")
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
    invoice = invoice_issue(orders=[order], acting_user=reception_a)
    payment_record(invoice=invoice, amount=1_000_000, method="cash", acting_user=reception_a)
    page = signed_in.get(reverse("portal:repair", args=[order.pk])).content.decode()
    assert f'data-owed="{invoice.total - 1_000_000}"' in page and 'data-testid="portal-owed"' in page
    pdf = signed_in.get(reverse("portal:invoice-pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    receipt = signed_in.get(reverse("portal:repair-receipt-pdf", args=[order.pk]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert signed_in.get(reverse("portal:repair-receipt-pdf", args=[order.pk]) + "?handback=1").status_code == 404


def test_another_customers_unit_repair_and_invoice_are_not_found(signed_in, receive, reception_a, technician_a,
                                                                 service_item, fridge_model):
    other = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")
    unit = ProductUnit.objects.create(serial="OTHER-1", brand=fridge_model.brand, product_model=fridge_model, owner=other)
    warranty_card_issue(unit=unit)
    order = receive(customer=other, unit=unit)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=10)
    invoice = invoice_issue(orders=[order], acting_user=reception_a)
    for url in (reverse("portal:unit", args=[unit.pk]), reverse("portal:unit-card-pdf", args=[unit.pk]),
                reverse("portal:repair", args=[order.pk]), reverse("portal:repair-receipt-pdf", args=[order.pk]),
                reverse("portal:invoice-pdf", args=[invoice.pk])):
        assert signed_in.get(url).status_code == 404, url
    assert signed_in.post(reverse("portal:repair", args=[order.pk]), {"answer": "approve"}).status_code == 404
    for url in (reverse("portal:home"), reverse("portal:units"), reverse("portal:repairs")):
        assert "OTHER-1" not in signed_in.get(url).content.decode() and "کریمی" not in signed_in.get(url).content.decode()


def test_pages_ask_a_visitor_who_is_not_signed_in_to_sign_in_and_come_back(client, warranted_unit):
    response = client.get(reverse("portal:unit", args=[warranted_unit.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:sign-in"))
    assert "next=" in response.url
