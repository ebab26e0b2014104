"""Invoices (F14, F28, F32): service invoices split from warranty work by the warranty engine, the
comprehensive invoice of several orders, VAT and the amount in words, payments, credit notes, warranty
claims reviewed by head office; invoicing twice, editing an issued invoice and absurd amounts refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.billing.models import Invoice, InvoiceLine, Payment, WarrantyClaim
from aftersales.billing.services import (
    claim_review, invoice_credit, invoice_draft, invoice_issue, payment_record, warranty_invoice_issue,
)
from aftersales.repairs.parts import part_issue
from aftersales.repairs.services import operation_add, part_request
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(receive, technician_a, keeper_a, stocked, compressor_part, service_item):
    """An order with one gas charge (2,500,000 labour) and one compressor issued (18,000,000)."""
    def make(**order_options):
        order = receive(**order_options)
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
        line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
        part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
        return order
    return make


def test_a_non_warranty_order_is_invoiced_with_labour_parts_transport_discount_and_vat(worked, reception_a, settings):
    settings.BILLING_VAT_PERCENT = 10
    order = worked(serial="NON-1")
    invoice = invoice_issue(orders=[order], acting_user=reception_a, transport=500_000, discount=1_000_000)
    assert invoice.kind == Invoice.Kind.SERVICE and invoice.customer == order.customer
    assert sorted(line.kind for line in invoice.lines.all()) == ["labour", "part", "transport"]
    assert (invoice.subtotal, invoice.discount) == (21_000_000, 1_000_000)
    assert (invoice.vat, invoice.total) == (2_000_000, 22_000_000)
    assert invoice.number.endswith("000001") and invoice.owed == 22_000_000


def test_work_already_invoiced_is_not_invoiced_again(worked, reception_a):
    order = worked(serial="NON-2")
    invoice_issue(orders=[order], acting_user=reception_a)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        invoice_issue(orders=[order], acting_user=reception_a)
    assert refused.value.code == "empty" and Invoice.objects.count() == 1


def test_a_double_clicked_issue_gives_one_invoice(worked, reception_a):
    order = worked(serial="NON-3")
    first = invoice_issue(orders=[order], acting_user=reception_a, submission_key="k-1")
    assert invoice_issue(orders=[order], acting_user=reception_a, submission_key="k-1") == first
    assert Invoice.objects.count() == 1


def test_warranty_work_stays_off_the_customers_invoice_and_goes_on_the_claim(worked, reception_a, warranted_unit):
    order = worked(unit=warranted_unit)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        invoice_issue(orders=[order], acting_user=reception_a)
    assert refused.value.code == "empty"
    claim_invoice = warranty_invoice_issue(center=order.center, orders=[order], acting_user=reception_a)
    assert claim_invoice.kind == Invoice.Kind.WARRANTY and claim_invoice.claim.status == WarrantyClaim.Status.SUBMITTED
    assert {line.kind for line in claim_invoice.lines.all()} == {"labour", "part"}
    assert all(line.is_warranty for line in claim_invoice.lines.all())


def test_a_comprehensive_invoice_gathers_several_orders_of_one_customer(worked, reception_a):
    first, second = worked(serial="NON-4"), worked(serial="NON-5")
    invoice = invoice_issue(orders=[first, second], acting_user=reception_a)
    assert {line.order_id for line in invoice.lines.all()} == {first.pk, second.pk} and invoice.subtotal == 41_000_000


def test_orders_of_two_customers_cannot_share_an_invoice(worked, reception_a):
    from aftersales.customers.models import Customer

    other = Customer.objects.create(kind="person", last_name="دیگری", mobile="09129998877")
    orders = [worked(serial="NON-6"), worked(serial="NON-7", customer=other)]
    with nothing_written(), pytest.raises(ValidationError):
        invoice_draft(orders=orders)


@pytest.mark.parametrize("options", [{"discount": 50_000_000}, {"discount": -5}, {"transport": 10**15},
                                     {"transport": "100"}])
def test_absurd_amounts_are_refused_and_nothing_is_written(worked, reception_a, options):
    order = worked(serial="NON-8")
    with nothing_written(), pytest.raises(ValidationError):
        invoice_issue(orders=[order], acting_user=reception_a, **options)
    assert not Invoice.objects.exists()


def test_an_issued_invoice_cannot_be_edited_or_deleted(worked, reception_a):
    invoice = invoice_issue(orders=[worked(serial="NON-9")], acting_user=reception_a)
    invoice.discount = 999
    with nothing_written(), pytest.raises(ValidationError):
        invoice.save()
    with nothing_written(), pytest.raises(ValidationError):
        invoice.delete()
    assert Invoice.objects.get().discount == 0


def test_a_credit_note_reverses_the_invoice_and_frees_the_work_for_a_new_one(worked, reception_a, manager_a, settings):
    settings.BILLING_VAT_PERCENT = 10
    order = worked(serial="NON-10")
    invoice = invoice_issue(orders=[order], acting_user=reception_a, discount=1_000_003)  # VAT rounds down
    assert (invoice.vat, invoice.total) == (1_949_999, 21_449_996)
    with nothing_written(), pytest.raises(ValidationError):
        invoice_credit(invoice=invoice, reason="", acting_user=manager_a)
    note = invoice_credit(invoice=invoice, reason="قیمت قطعه اشتباه بود", acting_user=manager_a)
    assert note.kind == Invoice.Kind.CREDIT and note.credit_of == invoice
    assert (note.subtotal, note.discount, note.vat, note.total) == (
        -invoice.subtotal, -invoice.discount, -invoice.vat, -invoice.total)
    assert Invoice.objects.get(pk=invoice.pk).owed == 0
    with nothing_written(), pytest.raises(ValidationError):
        invoice_credit(invoice=invoice, reason="again", acting_user=manager_a)
    again = invoice_issue(orders=[order], acting_user=reception_a)
    assert again.total == 22_550_000  # the same work, without the discount this time (VAT 10 %)


def test_payments_reduce_what_is_owed_and_overpaying_is_refused(worked, reception_a):
    invoice = invoice_issue(orders=[worked(serial="NON-11")], acting_user=reception_a)
    payment_record(invoice=invoice, amount=10_000_000, method="cash", acting_user=reception_a)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        payment_record(invoice=invoice, amount=invoice.total, method="cash", acting_user=reception_a)
    assert "amount" in refused.value.message_dict
    with nothing_written(), pytest.raises(ValidationError):  # a card payment needs its tracking number
        payment_record(invoice=invoice, amount=1_000, method="card", acting_user=reception_a)
    payment_record(invoice=invoice, amount=invoice.total - 10_000_000, method="transfer", reference="۱۲۳۴۵",
                   acting_user=reception_a, submission_key="p-1")
    payment_record(invoice=invoice, amount=invoice.total - 10_000_000, method="transfer", reference="۱۲۳۴۵",
                   acting_user=reception_a, submission_key="p-1")  # a double click
    assert Invoice.objects.get(pk=invoice.pk).owed == 0 and Payment.objects.count() == 2


def test_head_office_approves_adjusts_and_rejects_claim_lines(worked, reception_a, head_office, warranted_unit,
                                                            settings):
    settings.BILLING_VAT_PERCENT = 10
    order = worked(unit=warranted_unit)
    claim = warranty_invoice_issue(center=order.center, orders=[order], acting_user=reception_a).claim
    labour = claim.invoice.lines.get(kind="labour")
    part = claim.invoice.lines.get(kind="part")
    with nothing_written(), pytest.raises(ValidationError) as refused:
        claim_review(claim=claim, decisions={part.pk: {"decision": "rejected"}}, acting_user=head_office)
    assert f"reason_{part.pk}" in refused.value.message_dict
    claim = claim_review(claim=claim, decisions={
        labour.pk: {"decision": "adjusted", "amount": 2_000_000, "reason": "نرخ مصوب"},
        part.pk: {"decision": "approved", "part_return": True}}, acting_user=head_office)
    assert claim.status == WarrantyClaim.Status.REVIEWED and claim.approved_total == 22_000_000
    assert part.decision.part_return_required


def test_a_period_claim_gathers_the_centers_handed_back_warranty_orders(worked, reception_a, warranted_unit, center_a):
    import datetime

    from django.utils import timezone

    from aftersales.repairs.models import RepairOrder

    order = worked(unit=warranted_unit)
    RepairOrder.objects.filter(pk=order.pk).update(handed_back_at=timezone.now())
    today = timezone.localdate()
    invoice = warranty_invoice_issue(center=center_a, start=today - datetime.timedelta(days=30), end=today,
                                     acting_user=reception_a, bill_to="شرکت سازنده")
    assert invoice.period_end == today and invoice.lines.count() == 2 and invoice.bill_to == "شرکت سازنده"
    with nothing_written(), pytest.raises(ValidationError):
        warranty_invoice_issue(center=center_a, start=today, end=today - datetime.timedelta(days=1),
                               acting_user=reception_a)


def test_the_invoice_pages_preview_issue_pay_and_print(client, worked, reception_a):
    order = worked(serial="NON-12")
    client.force_login(reception_a)
    preview = client.get(reverse("billing:invoice-new"), {"orders": order.pk}).content.decode()
    assert 'data-testid="invoice-lines"' in preview and "شارژ گاز" in preview and not Invoice.objects.exists()
    response = client.post(reverse("billing:invoice-new"), {"orders": order.pk, "submission": "s-1",
                                                            "transport": "", "discount": "۱۰۰٬۰۰۰", "note": ""})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == reverse("billing:invoice", args=[invoice.pk])
    page = client.get(response.url).content.decode()
    assert "میلیون" in page and 'data-testid="pay-form"' in page  # the total in Persian words
    pdf = client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 2


def test_other_systems_hear_of_an_invoice_only_once_it_is_committed(worked, reception_a,
                                                                  django_capture_on_commit_callbacks):
    from aftersales.billing.signals import invoice_issued

    heard = []

    def receiver(sender, invoice, **kwargs):
        heard.append(invoice.number)

    invoice_issued.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invoice = invoice_issue(orders=[worked(serial="NON-13")], acting_user=reception_a)
            assert heard == []  # not before the commit
        assert heard == [invoice.number]
    finally:
        invoice_issued.disconnect(receiver)


def test_head_office_reviews_a_claim_on_its_page_and_the_center_cannot(client, worked, reception_a, head_office,
                                                                      manager_a, warranted_unit):
    order = worked(unit=warranted_unit)
    claim = warranty_invoice_issue(center=order.center, orders=[order], acting_user=reception_a).claim
    labour, part = claim.invoice.lines.get(kind="labour"), claim.invoice.lines.get(kind="part")
    answers = {f"line-{labour.pk}-decision": "approved",
               f"line-{part.pk}-decision": "rejected", f"line-{part.pk}-reason": "قطعه خارج از گارانتی"}
    client.force_login(manager_a)
    with nothing_written():
        assert client.post(reverse("billing:claim", args=[claim.pk]), answers).status_code == 403
    client.force_login(head_office)
    page = client.get(reverse("billing:claim", args=[claim.pk])).content.decode()
    assert 'data-testid="claim-review"' in page and f'name="line-{part.pk}-decision"' in page
    client.post(reverse("billing:claim", args=[claim.pk]), {**answers, f"line-{labour.pk}-amount": "abc"})
    assert not WarrantyClaim.objects.get(pk=claim.pk).decisions.exists()  # a bad amount: nothing saved
    client.post(reverse("billing:claim", args=[claim.pk]), answers)
    claim.refresh_from_db()
    assert claim.status == WarrantyClaim.Status.REVIEWED and claim.approved_total == labour.amount * 110 // 100
