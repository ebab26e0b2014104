"""Receipts against sales invoices and instalments: never more than is owed, once per submit, void gives the debt back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.sales.models import Cheque, Contract, Instalment, Receipt
from aftersales.sales.services_documents import credit_note_issue
from aftersales.sales.services_receipts import invoice_owed, receipt_record, receipt_void

pytestmark = pytest.mark.django_db


def _pay(invoice, user, amount, **extra):
    values = {"center": invoice.center, "customer": invoice.customer, "method": "cash", "amount": amount,
              "document": invoice, "acting_user": user}
    values.update(extra)
    return receipt_record(**values)


def test_a_receipt_lowers_what_the_invoice_owes(sales_invoice, accountant_a):
    _pay(sales_invoice, accountant_a, 100_000_000)
    assert invoice_owed(sales_invoice) == sales_invoice.total - 100_000_000


def test_refuses_paying_more_than_is_owed_and_names_the_amount(sales_invoice, accountant_a):
    _pay(sales_invoice, accountant_a, sales_invoice.total - 1000)
    with pytest.raises(ValidationError) as error:
        _pay(sales_invoice, accountant_a, 2000)
    assert "1,000" in str(error.value.message_dict["amount"]) or "۱٬۰۰۰" in str(error.value.message_dict["amount"])
    assert Receipt.objects.count() == 1


def test_a_credit_note_lowers_what_may_be_received(sales_invoice, accountant_a):
    credit_note_issue(invoice=sales_invoice, reason="مرجوعی", acting_user=accountant_a)
    assert invoice_owed(sales_invoice) == 0
    with pytest.raises(ValidationError):
        _pay(sales_invoice, accountant_a, 1000)


def test_a_double_submit_records_once(sales_invoice, accountant_a):
    first = _pay(sales_invoice, accountant_a, 1000, submission_key="k1")
    second = _pay(sales_invoice, accountant_a, 1000, submission_key="k1")
    assert first.pk == second.pk and Receipt.objects.count() == 1


def test_card_needs_its_tracking_number(sales_invoice, accountant_a):
    with pytest.raises(ValidationError) as error:
        _pay(sales_invoice, accountant_a, 1000, method="card")
    assert "reference" in error.value.message_dict


def test_cheque_method_needs_the_cheque(sales_invoice, accountant_a):
    with pytest.raises(ValidationError) as error:
        _pay(sales_invoice, accountant_a, 1000, method="cheque")
    assert "cheque" in error.value.message_dict


def test_another_centers_accountant_cannot_record(sales_invoice, accountant_b):
    with pytest.raises(PermissionDenied):
        _pay(sales_invoice, accountant_b, 1000)
    assert not Receipt.objects.exists()


def test_a_proforma_takes_no_receipt(center_a, buyer, price_list, accountant_a):
    from aftersales.sales.services_documents import proforma_issue

    proforma = proforma_issue(center=center_a, customer=buyer, acting_user=accountant_a,
                              valid_until=timezone.localdate(), lines=[{"product_model": price_list["fridge"], "quantity": 1}])
    with pytest.raises(ValidationError):
        _pay(proforma, accountant_a, 1000)


@pytest.fixture
def instalment(center_a, buyer, accountant_a):
    today = timezone.localdate()
    contract = Contract.objects.create(center=center_a, number="C-1", kind="supply", title="تامین سالانه", customer=buyer,
                                       start_date=today, end_date=today + datetime.timedelta(days=365), value=50_000_000,
                                       responsible=accountant_a)
    return Instalment.objects.create(contract=contract, due_date=today, amount=50_000_000)


def test_an_instalment_receipt_raises_paid_and_a_void_gives_the_debt_back(instalment, accountant_a):
    cheque = Cheque.objects.create(center=instalment.contract.center, customer=instalment.contract.customer,
                                   sayad_number="1234567890123456", bank="ملت", amount=50_000_000,
                                   due_date=timezone.localdate(), responsible=accountant_a)
    receipt = receipt_record(center=None, customer=None, method="cheque", amount=30_000_000, instalment=instalment,
                             cheque=cheque, acting_user=accountant_a)
    instalment.refresh_from_db()
    assert instalment.paid == 30_000_000
    receipt_void(receipt=receipt, reason="چک برگشت خورد", acting_user=accountant_a)
    instalment.refresh_from_db()
    receipt.refresh_from_db()
    assert instalment.paid == 0 and receipt.is_void
    assert receipt.history.first().history_user == accountant_a


def test_refuses_more_than_the_instalment_owes(instalment, accountant_a):
    with pytest.raises(ValidationError) as error:
        receipt_record(center=None, customer=None, method="cash", amount=50_000_001, instalment=instalment,
                       acting_user=accountant_a)
    assert "amount" in error.value.message_dict


def test_a_void_receipt_cannot_be_voided_twice(sales_invoice, accountant_a):
    receipt = _pay(sales_invoice, accountant_a, 1000)
    receipt_void(receipt=receipt, reason="اشتباه", acting_user=accountant_a)
    assert invoice_owed(sales_invoice) == sales_invoice.total
    with pytest.raises(ValidationError):
        receipt_void(receipt=receipt, reason="اشتباه", acting_user=accountant_a)
