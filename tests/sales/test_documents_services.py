"""Issuing proformas, invoices, credit notes and receiving ERPNext invoices, as an accountant sees them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.sales.models import Agent, SalesDocument, VatRate
from aftersales.sales.services_documents import (credit_note_issue, invoice_issue, invoice_receive, proforma_issue,
                                                 proforma_to_invoice, vat_percent_on)
from aftersales.sales.services_receipts import invoice_owed

from .conftest import FRIDGE_PRICE, WASHER_PRICE

pytestmark = pytest.mark.django_db


def _proforma(center, customer, user, lines, **extra):
    values = {"valid_until": timezone.localdate() + datetime.timedelta(days=7)}
    values.update(extra)
    return proforma_issue(center=center, customer=customer, lines=lines, acting_user=user, **values)


def test_vat_rate_is_the_newest_in_force_on_the_day(db, settings):
    settings.BILLING_VAT_PERCENT = 9
    day = datetime.date(2026, 3, 21)
    assert vat_percent_on(day) == 9
    VatRate.objects.create(effective_on=day, percent=10)
    VatRate.objects.create(effective_on=day + datetime.timedelta(days=10), percent=12)
    assert vat_percent_on(day - datetime.timedelta(days=1)) == 9
    assert vat_percent_on(day + datetime.timedelta(days=5)) == 10
    assert vat_percent_on(day + datetime.timedelta(days=10)) == 12


def test_proforma_takes_todays_list_price_discounts_and_vat(center_a, buyer, price_list, accountant_a):
    VatRate.objects.create(effective_on=timezone.localdate() - datetime.timedelta(days=1), percent=10)
    proforma = _proforma(center_a, buyer, accountant_a, discount=1_000_001, lines=[
        {"product_model": price_list["fridge"], "quantity": 2, "discount": 500_000},
        {"product_model": price_list["washer"], "quantity": 1}])
    subtotal = 2 * FRIDGE_PRICE - 500_000 + WASHER_PRICE
    assert proforma.kind == "proforma" and proforma.subtotal == subtotal
    assert proforma.vat == (subtotal - 1_000_001) * 10 // 100
    assert proforma.total == subtotal - 1_000_001 + proforma.vat
    lines = list(proforma.lines.order_by("pk"))
    assert lines[0].unit_price == FRIDGE_PRICE and lines[0].product_group == price_list["fridge"].group
    assert proforma.number.endswith("-000001")


def test_numbers_run_per_center_and_kind(center_a, center_b, buyer, price_list, accountant_a, accountant_b):
    line = [{"product_model": price_list["fridge"], "quantity": 1}]
    first = _proforma(center_a, buyer, accountant_a, line)
    second = _proforma(center_a, buyer, accountant_a, line)
    invoice = invoice_issue(center=center_a, customer=buyer, lines=line, acting_user=accountant_a)
    other = _proforma(center_b, buyer, accountant_b, line)
    assert [first.number[-6:], second.number[-6:], invoice.number[-6:], other.number[-6:]] == [
        "000001", "000002", "000001", "000001"]


def test_a_model_without_a_price_needs_a_typed_price(center_a, buyer, unpriced_model, accountant_a):
    with pytest.raises(ValidationError) as error:
        _proforma(center_a, buyer, accountant_a, [{"product_model": unpriced_model, "quantity": 1}])
    assert "lines" in error.value.message_dict
    proforma = _proforma(center_a, buyer, accountant_a, [{"product_model": unpriced_model, "quantity": 1,
                                                           "unit_price": 99_000_000}])
    assert proforma.subtotal == 99_000_000


def test_a_typed_price_does_not_override_the_price_list(center_a, buyer, price_list, accountant_a):
    proforma = _proforma(center_a, buyer, accountant_a, [{"product_model": price_list["fridge"], "quantity": 1,
                                                          "unit_price": 1}])
    assert proforma.subtotal == FRIDGE_PRICE


@pytest.mark.parametrize("bad, field", [
    ({"lines": []}, "lines"),
    ({"lines": [{"quantity": 0}]}, "lines"),
    ({"lines": [{"quantity": 1, "discount": FRIDGE_PRICE + 1}]}, "lines"),
    ({"discount": 10 * FRIDGE_PRICE}, "discount"),
    ({"valid_until": datetime.date(2000, 1, 1)}, "valid_until"),
])
def test_refuses_bad_input_with_a_field_error_and_writes_nothing(center_a, buyer, price_list, accountant_a, bad, field):
    lines = bad.pop("lines", [{"quantity": 1}])
    lines = [{"product_model": price_list["fridge"], **line} for line in lines]
    with pytest.raises(ValidationError) as error:
        _proforma(center_a, buyer, accountant_a, lines, **bad)
    assert field in error.value.message_dict
    assert not SalesDocument.objects.exists()


def test_another_centers_user_cannot_issue(center_a, buyer, price_list, accountant_b):
    with pytest.raises(PermissionDenied):
        _proforma(center_a, buyer, accountant_b, [{"product_model": price_list["fridge"], "quantity": 1}])


def test_a_double_submit_issues_once(center_a, buyer, price_list, accountant_a):
    line = [{"product_model": price_list["fridge"], "quantity": 1}]
    first = _proforma(center_a, buyer, accountant_a, line, submission_key="abc")
    again = _proforma(center_a, buyer, accountant_a, line, submission_key="abc")
    assert first.pk == again.pk and SalesDocument.objects.count() == 1


def test_an_issued_document_cannot_be_changed(sales_invoice):
    sales_invoice.note = "x"
    with pytest.raises(ValidationError):
        sales_invoice.save()


def test_the_customers_agent_is_kept_on_the_document(center_a, buyer, price_list, accountant_a):
    agent = Agent.objects.create(customer=buyer, center=center_a, code="AG-1", path="000001/")
    invoice = invoice_issue(center=center_a, customer=buyer, acting_user=accountant_a,
                            lines=[{"product_model": price_list["fridge"], "quantity": 1}])
    assert invoice.agent == agent


def test_proforma_turns_into_an_invoice_once_with_todays_vat(center_a, buyer, price_list, accountant_a):
    proforma = _proforma(center_a, buyer, accountant_a, [{"product_model": price_list["fridge"], "quantity": 3,
                                                          "discount": 7}], discount=1000)
    VatRate.objects.create(effective_on=timezone.localdate(), percent=15)
    invoice = proforma_to_invoice(proforma=proforma, acting_user=accountant_a)
    assert invoice.kind == "invoice" and invoice.proforma == proforma and invoice.vat_percent == 15
    assert invoice.subtotal == proforma.subtotal and invoice.discount == 1000
    assert [(line.quantity, line.discount) for line in invoice.lines.all()] == [(3, 7)]
    with pytest.raises(ValidationError) as error:
        proforma_to_invoice(proforma=proforma, acting_user=accountant_a)
    assert invoice.number in str(error.value)


def test_an_expired_proforma_is_not_invoiced(center_a, buyer, price_list, accountant_a, today_is):
    proforma = _proforma(center_a, buyer, accountant_a, [{"product_model": price_list["fridge"], "quantity": 1}],
                         valid_until=timezone.localdate())
    today_is(timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        proforma_to_invoice(proforma=proforma, acting_user=accountant_a)


def test_credit_notes_never_take_back_more_than_was_sold(sales_invoice, accountant_a):
    line = sales_invoice.lines.get()
    note = credit_note_issue(invoice=sales_invoice, lines=[{"line": line, "quantity": 1}], reason="مرجوعی",
                             acting_user=accountant_a)
    assert note.kind == "credit" and note.total == -(sales_invoice.total // 2)
    assert invoice_owed(sales_invoice) == sales_invoice.total + note.total
    with pytest.raises(ValidationError):
        credit_note_issue(invoice=sales_invoice, lines=[{"line": line, "quantity": 2}], reason="x",
                          acting_user=accountant_a)
    rest = credit_note_issue(invoice=sales_invoice, reason="مرجوعی", acting_user=accountant_a)
    assert note.total + rest.total == -sales_invoice.total
    with pytest.raises(ValidationError):
        credit_note_issue(invoice=sales_invoice, reason="x", acting_user=accountant_a)


def test_a_full_credit_note_cancels_an_invoice_with_discounts_exactly(center_a, buyer, price_list, accountant_a):
    invoice = invoice_issue(center=center_a, customer=buyer, acting_user=accountant_a, discount=333_333, lines=[
        {"product_model": price_list["fridge"], "quantity": 3, "discount": 1001},
        {"product_model": price_list["washer"], "quantity": 1}])
    note = credit_note_issue(invoice=invoice, lines=[{"line": invoice.lines.first(), "quantity": 1}], reason="x",
                             acting_user=accountant_a)
    rest = credit_note_issue(invoice=invoice, reason="x", acting_user=accountant_a)
    assert note.total + rest.total == -invoice.total


def test_a_credit_note_needs_a_reason(sales_invoice, accountant_a):
    with pytest.raises(ValidationError) as error:
        credit_note_issue(invoice=sales_invoice, reason=" ", acting_user=accountant_a)
    assert "reason" in error.value.message_dict


def _received(center, buyer, user, model, **extra):
    values = {"number": "ACC-SINV-0001", "issued_on": timezone.localdate(), "vat": 1000, "total": 11000,
              "lines": [{"product_model": model, "quantity": 1, "unit_price": 10000}]}
    values.update(extra)
    return invoice_receive(center=center, customer=buyer, acting_user=user, **values)


def test_an_erpnext_invoice_is_kept_once_per_number(center_a, buyer, price_list, integration_user):
    document, created = _received(center_a, buyer, integration_user, price_list["fridge"])
    assert created and document.source == "erpnext" and document.number == "ACC-SINV-0001" and document.vat == 1000
    again, created = _received(center_a, buyer, integration_user, price_list["fridge"])
    assert again.pk == document.pk and not created
    with pytest.raises(ValidationError) as error:
        _received(center_a, buyer, integration_user, price_list["fridge"], vat=2000, total=12000)
    assert "number" in error.value.message_dict


def test_an_erpnext_invoice_whose_sums_do_not_add_up_is_refused(center_a, buyer, price_list, integration_user):
    with pytest.raises(ValidationError) as error:
        _received(center_a, buyer, integration_user, price_list["fridge"], total=99)
    assert "total" in error.value.message_dict
