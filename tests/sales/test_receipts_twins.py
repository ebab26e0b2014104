"""Two accountants at the same instant (PostgreSQL): receipts never pay more than is owed between them, a
double submit records once, and a proforma turned into an invoice twice gives one invoice."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.sales.models import Receipt, SalesDocument
from aftersales.sales.services_documents import proforma_issue, proforma_to_invoice
from aftersales.sales.services_receipts import invoice_owed, receipt_record
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _outcome(call):
    def run():
        try:
            return call()
        except ValidationError as error:
            return " ".join(error.messages)
    return run


def test_two_accountants_paying_the_whole_invoice_at_once_pay_it_once(sales_invoice, accountant_a):
    from tests.factories import UserFactory
    from aftersales.organization.roles import Role

    other = UserFactory(username="accountant_a2", role=Role.ACCOUNTANT, centers=[sales_invoice.center])
    users = iter([accountant_a, other])

    def pay():
        return receipt_record(center=sales_invoice.center, customer=sales_invoice.customer, document=sales_invoice,
                              method="cash", amount=sales_invoice.total, acting_user=next(users)).pk

    results = at_once(_outcome(pay))
    assert sum(isinstance(result, int) for result in results) == 1, results
    assert Receipt.objects.count() == 1 and invoice_owed(sales_invoice) == 0


def test_a_double_submit_of_a_receipt_records_once(sales_invoice, accountant_a):
    def pay():
        return receipt_record(center=sales_invoice.center, customer=sales_invoice.customer, document=sales_invoice,
                              method="cash", amount=1000, acting_user=accountant_a, submission_key="twin").pk

    first, second = at_once(pay)
    assert first == second and Receipt.objects.count() == 1


def test_a_proforma_turned_twice_at_once_gives_one_invoice(center_a, buyer, price_list, accountant_a):
    proforma = proforma_issue(center=center_a, customer=buyer, valid_until=timezone.localdate(), acting_user=accountant_a,
                              lines=[{"product_model": price_list["fridge"], "quantity": 1}])
    results = at_once(_outcome(lambda: proforma_to_invoice(proforma=proforma, acting_user=accountant_a).pk))
    assert sum(isinstance(result, int) for result in results) == 1, results
    assert SalesDocument.objects.filter(kind="invoice").count() == 1
