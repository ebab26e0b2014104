"""The demo's sales documents: written through the services, with an overdue party on the receivables."""

import random

import pytest

from aftersales.organization.roles import Role
from aftersales.sales.models import Receipt, SalesDocument
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_issues_proformas_invoices_receipts_a_credit_note_and_leaves_an_overdue_party(center_a, price_list,
                                                                                              unpriced_model):
    from aftersales.sales import demo_documents
    from aftersales.sales.selectors_documents import receivables

    accountant = UserFactory(username="accountant", role=Role.ACCOUNTANT, centers=[center_a])
    done = demo_documents.seed(size="small", rng=random.Random("sales-1405"))
    assert done and SalesDocument.objects.filter(kind="proforma").count() == 3
    assert SalesDocument.objects.filter(kind="invoice").count() == 3
    assert SalesDocument.objects.filter(kind="credit").count() == 1 and Receipt.objects.count() == 2
    assert any(debt.overdue for debt in receivables(user=accountant))
