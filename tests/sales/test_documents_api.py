"""The REST API of sales documents, receipts and debts: scoped, idempotent, 400 with field errors."""

import pytest
from django.utils import timezone

from aftersales.sales.models import Receipt, SalesDocument

pytestmark = pytest.mark.django_db


def _proforma_body(center, buyer, model, **extra):
    body = {"center": center.pk, "customer": buyer.pk, "valid_until": timezone.localdate().isoformat(),
            "lines": [{"product_model": model.pk, "quantity": 2}]}
    body.update(extra)
    return body


def test_create_a_proforma_once_per_idempotency_key_and_turn_it_into_an_invoice(api_client, accountant_a, center_a,
                                                                                buyer, price_list):
    api_client.force_authenticate(accountant_a)
    body = _proforma_body(center_a, buyer, price_list["fridge"])
    first = api_client.post("/api/sales/proformas/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api_client.post("/api/sales/proformas/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert first.json()["lines"][0]["quantity"] == 2
    pk = first.json()["id"]
    assert api_client.get(f"/api/sales/proformas/{pk}/").status_code == 200
    invoice = api_client.post(f"/api/sales/proformas/{pk}/invoice/")
    assert invoice.status_code == 201 and invoice.json()["proforma"] == pk and invoice.json()["owed"] > 0
    twice = api_client.post(f"/api/sales/proformas/{pk}/invoice/")
    assert twice.status_code == 400 and twice.json()["code"] == "invoiced"
    assert api_client.get("/api/sales/proformas/").json()["count"] == 1


def test_bad_proforma_input_is_a_400_with_field_errors(api_client, accountant_a, center_a, buyer, unpriced_model):
    api_client.force_authenticate(accountant_a)
    answer = api_client.post("/api/sales/proformas/", _proforma_body(center_a, buyer, unpriced_model), format="json")
    assert answer.status_code == 400 and "lines" in answer.json()
    answer = api_client.post("/api/sales/proformas/", _proforma_body(center_a, buyer, unpriced_model, lines=[]),
                             format="json")
    assert answer.status_code == 400 and "lines" in answer.json()
    assert not SalesDocument.objects.exists()


def test_another_centers_records_are_not_found_or_chosen(api_client, accountant_b, center_a, buyer, price_list,
                                                        sales_invoice):
    api_client.force_authenticate(accountant_b)
    assert api_client.get(f"/api/sales/invoices/{sales_invoice.pk}/").status_code == 404
    assert api_client.get("/api/sales/invoices/").json()["count"] == 0
    answer = api_client.post("/api/sales/proformas/", _proforma_body(center_a, buyer, price_list["fridge"]),
                             format="json")
    assert answer.status_code == 400 and "center" in answer.json()
    answer = api_client.post("/api/sales/receipts/", {"document": sales_invoice.pk, "method": "cash", "amount": 10},
                             format="json")
    assert answer.status_code == 400 and "document" in answer.json()


def test_erpnext_invoices_are_idempotent_per_number(api_client, integration_user, center_a, buyer, price_list):
    api_client.force_authenticate(integration_user)
    body = {"center": center_a.pk, "number": "ACC-SINV-2026-00042", "customer": buyer.pk,
            "issued_on": timezone.localdate().isoformat(), "vat": 100, "total": 1100, "discount": 0,
            "lines": [{"product_model": price_list["washer"].pk, "quantity": 1, "unit_price": 1000}]}
    first = api_client.post("/api/sales/invoices/", body, format="json")
    assert first.status_code == 201 and first.json()["source"] == "erpnext"
    again = api_client.post("/api/sales/invoices/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    changed = api_client.post("/api/sales/invoices/", {**body, "vat": 0, "total": 1000}, format="json")
    assert changed.status_code == 400 and "number" in changed.json()


def test_receipts_credit_notes_and_debts(api_client, accountant_a, sales_invoice, buyer):
    api_client.force_authenticate(accountant_a)
    too_much = api_client.post("/api/sales/receipts/", {"document": sales_invoice.pk, "method": "cash",
                                                        "amount": sales_invoice.total + 1}, format="json")
    assert too_much.status_code == 400 and "amount" in too_much.json()
    paid = api_client.post("/api/sales/receipts/", {"document": sales_invoice.pk, "method": "cash", "amount": 1000},
                           format="json", HTTP_IDEMPOTENCY_KEY="r")
    api_client.post("/api/sales/receipts/", {"document": sales_invoice.pk, "method": "cash", "amount": 1000},
                    format="json", HTTP_IDEMPOTENCY_KEY="r")
    assert paid.status_code == 201 and Receipt.objects.count() == 1
    line = sales_invoice.lines.get()
    note = api_client.post(f"/api/sales/invoices/{sales_invoice.pk}/credit-notes/",
                           {"reason": "مرجوعی", "lines": [{"line": line.pk, "quantity": 1}]}, format="json")
    assert note.status_code == 201 and note.json()["kind"] == "credit"
    assert len(api_client.get(f"/api/sales/invoices/{sales_invoice.pk}/credit-notes/").json()) == 1
    debts = api_client.get("/api/sales/debts/").json()
    assert debts["results"][0]["customer"] == buyer.pk
    assert debts["results"][0]["owed"] == sales_invoice.total - 1000 + note.json()["total"]
    assert api_client.get("/api/sales/receipts/").json()["count"] == 1
