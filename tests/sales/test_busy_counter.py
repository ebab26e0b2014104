"""Accountants of one selling office issuing at once (PostgreSQL; issue 21): a proforma, sales invoice,
credit note or contract still being written does not hold up another of the same office and kind — its
number is taken only at the very end — and the numbers run 1, 2 with no gap, in commit order."""

import datetime

import pytest
from django.utils import timezone

from aftersales.sales import services_contracts, services_documents
from aftersales.sales.models import Contract, SalesDocument
from tests.busy import Pause, overlap, serial

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _lines(price_list):
    return [{"product_model": price_list["fridge"], "quantity": 1}]


def _proforma(center_a, buyer, price_list, accountant_a):
    def issue():
        return services_documents.proforma_issue(center=center_a, customer=buyer, lines=_lines(price_list),
                                                 valid_until=timezone.localdate() + datetime.timedelta(days=7),
                                                 acting_user=accountant_a)
    return issue, issue


def _invoice(center_a, buyer, price_list, accountant_a):
    def issue():
        return services_documents.invoice_issue(center=center_a, customer=buyer, lines=_lines(price_list),
                                                acting_user=accountant_a)
    return issue, issue


def _from_proforma(center_a, buyer, price_list, accountant_a):
    make, _same = _proforma(center_a, buyer, price_list, accountant_a)
    proformas = [make(), make()]
    return [lambda proforma=proforma: services_documents.proforma_to_invoice(proforma=proforma,
                                                                             acting_user=accountant_a)
            for proforma in proformas]


def _credit(center_a, buyer, price_list, accountant_a):
    make, _same = _invoice(center_a, buyer, price_list, accountant_a)
    invoices = [make(), make()]
    return [lambda invoice=invoice: services_documents.credit_note_issue(invoice=invoice, reason="مرجوعی",
                                                                         acting_user=accountant_a)
            for invoice in invoices]


def _contract(center_a, buyer, price_list, accountant_a):
    start = timezone.localdate()

    def sign():
        return services_contracts.contract_create(
            center=center_a, kind=Contract.Kind.AGENCY, title="قرارداد نمایندگی", customer=buyer, start_date=start,
            end_date=start + datetime.timedelta(days=300), value=10_000_000, responsible=accountant_a,
            instalments=[{"due_date": start + datetime.timedelta(days=30), "amount": 10_000_000}],
            acting_user=accountant_a)
    return sign, sign


@pytest.mark.parametrize("make", [_proforma, _invoice, _from_proforma, _credit, _contract],
                         ids=["proforma", "invoice", "proforma to invoice", "credit note", "contract"])
def test_a_slow_document_does_not_hold_up_another_of_the_office(make, monkeypatch, center_a, buyer, price_list,
                                                                 accountant_a):
    """The first document stops just before its number; a second one of the same office and kind goes
    through meanwhile and takes number 1; the first then ends with number 2. Had the number been taken
    early, the second accountant would wait for the first."""
    slow, quick = make(center_a, buyer, price_list, accountant_a)
    module = services_contracts if make is _contract else services_documents
    pause, assign = Pause(), module.document_number_assign

    def slow_assign(document, **kwargs):  # everything else of the document is written
        pause.here()
        return assign(document, **kwargs)

    monkeypatch.setattr(module, "document_number_assign", slow_assign)
    slow_box, quick_box, finished_meanwhile = overlap(lambda: slow().number, lambda: quick().number, pause)
    assert finished_meanwhile, "the second accountant waited for the first one's document to end"
    assert (serial(quick_box["result"]), serial(slow_box["result"])) == (1, 2), (quick_box, slow_box)
    assert not SalesDocument.objects.filter(number__startswith="~").exists()
    assert not Contract.objects.filter(number__startswith="~").exists()
    assert not Contract.history.filter(number__startswith="~").exists()
