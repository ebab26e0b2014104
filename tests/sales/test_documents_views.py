"""The pages of sales documents: issuing through the form, turning a proforma, receipts, credit notes, PDF, receivables."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core import jalali
from aftersales.sales.models import Receipt, SalesDocument
from aftersales.sales.services_documents import proforma_issue

pytestmark = pytest.mark.django_db


def _form(center, model, **extra):
    data = {"submission": "s1", "center": center.pk, "discount": "", "note": "",
            "valid_until": jalali.format_date(timezone.localdate() + datetime.timedelta(days=5), latin_digits=True),
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "30", "lines-0-product_model": model.pk, "lines-0-quantity": "۲",
            "lines-0-discount": "", "lines-0-unit_price": ""}
    data.update(extra)
    return data


def test_an_accountant_issues_a_proforma_from_the_form_once(login, center_a, accountant_a, buyer, price_list):
    client = login(accountant_a)
    url = reverse("sales:proforma-new") + f"?customer={buyer.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(center_a, price_list["fridge"]))
    proforma = SalesDocument.objects.get()
    assert response.status_code == 302 and proforma.kind == "proforma" and proforma.lines.get().quantity == 2
    client.post(url, _form(center_a, price_list["fridge"]))
    assert SalesDocument.objects.count() == 1
    page = client.get(reverse("sales:document", args=[proforma.pk]))
    assert page.status_code == 200 and 'data-testid="to-invoice"' in page.content.decode()


def test_a_bad_line_shows_a_message_and_writes_nothing(login, center_a, accountant_a, buyer, unpriced_model):
    client = login(accountant_a)
    response = client.post(reverse("sales:proforma-new") + f"?customer={buyer.pk}", _form(center_a, unpriced_model))
    assert response.status_code == 400 and "ندارد" in response.content.decode() or response.status_code == 400
    assert not SalesDocument.objects.exists()


def test_turn_into_invoice_then_receipt_and_credit_note(login, center_a, accountant_a, buyer, price_list):
    proforma = proforma_issue(center=center_a, customer=buyer, acting_user=accountant_a,
                              valid_until=timezone.localdate(), lines=[{"product_model": price_list["fridge"], "quantity": 2}])
    client = login(accountant_a)
    response = client.post(reverse("sales:proforma-invoice", args=[proforma.pk]), {"submission": "x"})
    invoice = SalesDocument.objects.get(kind="invoice")
    assert response.url == reverse("sales:document", args=[invoice.pk])
    client.post(reverse("sales:invoice-receipt", args=[invoice.pk]),
                {"submission": "r1", "amount": "1,000,000", "method": "cash", "received_on": "", "reference": ""})
    assert Receipt.objects.get().amount == 1_000_000
    line = invoice.lines.get()
    client.post(reverse("sales:invoice-credit", args=[invoice.pk]), {"reason": "مرجوعی", f"line_{line.pk}": "1"})
    assert SalesDocument.objects.get(kind="credit").lines.get().quantity == -1
    page = client.get(reverse("sales:document", args=[invoice.pk])).content.decode()
    assert 'data-testid="credited-by"' in page


def test_the_pdf_of_an_invoice_renders(login, accountant_a, sales_invoice):
    response = login(accountant_a).get(reverse("sales:document-pdf", args=[sales_invoice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_another_centers_document_is_not_found(login, accountant_b, sales_invoice):
    client = login(accountant_b)
    assert client.get(reverse("sales:document", args=[sales_invoice.pk])).status_code == 404
    assert client.get(reverse("sales:document-pdf", args=[sales_invoice.pk])).status_code == 404


def test_a_visitor_may_issue_proformas_but_not_invoices(login, center_a, buyer, price_list):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    visitor = UserFactory(username="visitor_s", role=Role.VISITOR, centers=[center_a])
    client = login(visitor)
    assert client.get(reverse("sales:proforma-new")).status_code == 200
    assert client.get(reverse("sales:invoice-new")).status_code == 403


def test_receivables_list_overdue_parties_and_export(login, accountant_a, sales_invoice, buyer, settings, today_is):
    settings.SALES_PAYMENT_DAYS = 30
    today_is(timezone.localdate() + datetime.timedelta(days=31))
    client = login(accountant_a)
    page = client.get(reverse("sales:receivables") + "?overdue=on")
    assert buyer.display_name in page.content.decode()
    assert page.context["total_overdue"] == sales_invoice.total
    export = client.get(reverse("sales:receivables") + "?export=1")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    statement = client.get(reverse("sales:receivable-detail", args=[buyer.pk]))
    assert statement.status_code == 200 and statement.context["debt"]["overdue"] == sales_invoice.total


def test_the_customer_page_shows_the_sales_panel(login, accountant_a, sales_invoice, buyer):
    page = login(accountant_a).get(reverse("desk:detail", args=["customers", buyer.pk])).content.decode()
    assert 'data-testid="customer-sales-panel"' in page and sales_invoice.number in page


def test_lists_are_scoped_and_export(login, accountant_b, accountant_a, sales_invoice):
    assert sales_invoice.number not in login(accountant_b).get(reverse("sales:invoice-list")).content.decode()
    client = login(accountant_a)
    assert client.get(reverse("sales:invoice-list")).context["page"].paginator.count == 1
    assert client.get(reverse("sales:invoice-list") + "?export=1").status_code == 200
    assert client.get(reverse("sales:proforma-list")).status_code == 200
    assert client.get(reverse("sales:credit-list")).status_code == 200
