"""Delivery documents of the warehouse system (F30): received once, invoiced once, by service, API and Excel."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIRequestFactory, force_authenticate

import aftersales.billing.importers  # noqa: F401  registers the Excel import (until apps.py imports it)
from aftersales.billing.api_deliveries import DeliveryApi, DeliveryInvoiceApi
from aftersales.billing.deliveries import delivery_invoice_issue, delivery_receive
from aftersales.billing.models import DeliveryDocument, DeliveryLine, Invoice, InvoiceLine
from aftersales.catalog.models import ServiceItem
from aftersales.customers.models import Customer
from aftersales.imports import registry
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def install(fridge_model):
    return ServiceItem.objects.create(code="INSTALL", title="نصب یخچال", labour_price=1_800_000,
                                      product_group=fridge_model.group)


@pytest.fixture
def receive_delivery(center_a, reception_a, service_item, install):
    def _receive(**options):
        options.setdefault("center", center_a)
        options.setdefault("number", "DL-1405-001")
        options.setdefault("delivered_on", YESTERDAY)
        options.setdefault("customer_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
        options.setdefault("customer_name", "سارا احمدی")
        options.setdefault("lines", [{"service": "install", "quantity": 1, "serial": "rf-520 ۰۰۱"},
                                     {"service": "GAS", "quantity": 2, "unit_price": 2_000_000}])
        options.setdefault("acting_user", reception_a)
        return delivery_receive(**options)

    return _receive


def test_receives_a_delivery_with_its_customer_and_lines(receive_delivery, owner):
    delivery = receive_delivery()
    assert delivery.number == "DL-1405-001" and delivery.customer == owner and delivery.delivered_on == YESTERDAY
    lines = list(delivery.lines.order_by("pk").values_list("service_item__code", "quantity", "unit_price", "serial"))
    assert lines == [("INSTALL", 1, 1_800_000, "RF520001"), ("GAS", 2, 2_000_000, "")]


def test_registers_an_unknown_mobile_as_a_new_customer(receive_delivery):
    delivery = receive_delivery(customer_mobile="09351112233", customer_name="رضا کریمی")
    assert delivery.customer.mobile == "09351112233" and delivery.customer.last_name == "کریمی"


def test_same_delivery_sent_again_returns_the_stored_document(receive_delivery):
    first = receive_delivery()
    again = receive_delivery(number=" DL-۱۴۰۵-۰۰۱ ", lines=[{"service": "GAS", "quantity": 2, "unit_price": 2_000_000},
                                                         {"service": "INSTALL", "quantity": 1, "serial": "RF520001"}])
    assert again.pk == first.pk
    assert DeliveryDocument.objects.count() == 1 and DeliveryLine.objects.count() == 2


def test_refuses_a_taken_number_with_other_content(receive_delivery):
    receive_delivery()
    with nothing_written(), pytest.raises(ValidationError) as caught:
        receive_delivery(lines=[{"service": "GAS", "quantity": 3}])
    assert "number" in caught.value.message_dict
    assert DeliveryLine.objects.count() == 2


def test_same_number_at_another_center_is_another_delivery(receive_delivery, center_b):
    assert receive_delivery().pk != receive_delivery(center=center_b).pk


@pytest.mark.parametrize(("options", "field", "words"), [
    ({"number": "  "}, "number", "delivery number"),
    ({"delivered_on": YESTERDAY + datetime.timedelta(days=2)}, "delivered_on", "future"),
    ({"delivered_on": "1405/13/40"}, "delivered_on", "valid date"),
    ({"lines": []}, "lines", "at least one line"),
    ({"lines": [{"service": "NOPE", "quantity": 1}, {"service": "GONE-2", "quantity": 1}]}, "lines", "NOPE"),
    ({"lines": [{"service": "GAS", "quantity": 0}]}, "lines", "Quantity"),
    ({"lines": [{"service": "GAS", "quantity": 1001}]}, "lines", "Quantity"),
    ({"lines": [{"service": "GAS", "quantity": 1, "unit_price": -1}]}, "lines", "unit price"),
    ({"lines": [{"service": "GAS", "quantity": 1, "unit_price": 100_000_000_001}]}, "lines", "unit price"),
    ({"customer_mobile": "12345"}, "customer_mobile", "mobile"),
])
def test_refuses_bad_input_with_a_clear_message_and_writes_nothing(receive_delivery, options, field, words):
    customers = Customer.objects.count()
    with translation_en(), pytest.raises(ValidationError) as caught:
        receive_delivery(**options)
    messages = caught.value.message_dict
    assert field in messages and words in " ".join(messages[field])
    assert not DeliveryDocument.objects.exists() and Customer.objects.count() == customers


def test_lists_every_unknown_service_code(receive_delivery):
    with translation_en(), pytest.raises(ValidationError) as caught:
        receive_delivery(lines=[{"service": "NOPE", "quantity": 1}, {"service": "gone-2", "quantity": 1}])
    message = caught.value.message_dict["lines"][0]
    assert "NOPE" in message and "GONE2" in message


def translation_en():
    from django.utils import translation

    return translation.override("en")


def test_invoices_every_line_once(receive_delivery, reception_a, settings):
    settings.BILLING_VAT_PERCENT = 10
    delivery = receive_delivery()
    invoice = delivery_invoice_issue(delivery=delivery, acting_user=reception_a)
    assert invoice.kind == Invoice.Kind.SERVICE and invoice.delivery == delivery and invoice.customer == delivery.customer
    assert invoice.subtotal == 1_800_000 + 2 * 2_000_000 and invoice.total == invoice.subtotal * 110 // 100
    lines = list(invoice.lines.order_by("pk"))
    assert [line.kind for line in lines] == [InvoiceLine.Kind.SERVICE] * 2
    assert lines[0].description == "نصب یخچال — RF520001" and lines[0].billed_key == f"delivery:{lines[0].delivery_line_id}"
    with nothing_written(), pytest.raises(ValidationError) as caught:
        delivery_invoice_issue(delivery=delivery, acting_user=reception_a)
    assert caught.value.code == "empty"
    assert Invoice.objects.count() == 1


def test_a_retried_invoice_submission_returns_the_same_invoice(receive_delivery, reception_a):
    delivery = receive_delivery()
    first = delivery_invoice_issue(delivery=delivery, acting_user=reception_a, submission_key="k-1")
    assert delivery_invoice_issue(delivery=delivery, acting_user=reception_a, submission_key="k-1") == first


# The API, called on the views directly: its routes are added to aftersales/urls.py separately.

def _post(view, user, data, **kwargs):
    request = APIRequestFactory().post("/api/billing/deliveries/", data, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return view(request, **kwargs)


def _payload(center, **changes):
    return {"center": center.pk, "number": "DL-77", "delivered_on": "1405/01/10", "customer_mobile": "09121234567",
            "customer_name": "سارا احمدی", "lines": [{"service": "INSTALL", "quantity": 1, "serial": "SN-1"}], **changes}


def test_api_receives_a_delivery_and_issues_its_invoice(center_a, reception_a, install):
    response = _post(DeliveryApi.as_view(), reception_a, _payload(center_a))
    assert response.status_code == 201, response.data
    delivery = DeliveryDocument.objects.get()
    assert response.data["id"] == delivery.pk and response.data["number"] == "DL-77"
    assert response.data["lines"] == list(delivery.lines.values_list("pk", flat=True))
    again = _post(DeliveryApi.as_view(), reception_a, _payload(center_a))
    assert again.status_code == 201 and again.data["id"] == delivery.pk
    invoiced = _post(DeliveryInvoiceApi.as_view(), reception_a, {}, pk=delivery.pk)
    assert invoiced.status_code == 201
    invoice = Invoice.objects.get()
    assert invoiced.data == {"id": invoice.pk, "number": invoice.number, "total": invoice.total}
    with nothing_written():
        twice = _post(DeliveryInvoiceApi.as_view(), reception_a, {}, pk=delivery.pk)
    assert twice.status_code == 400 and twice.data["code"] == "empty"


def test_api_answers_400_with_field_errors(center_a, reception_a, install):
    with nothing_written():
        response = _post(DeliveryApi.as_view(), reception_a, _payload(center_a, lines=[{"service": "NOPE", "quantity": 1}]))
    assert response.status_code == 400 and "lines" in response.data
    with nothing_written():
        response = _post(DeliveryApi.as_view(), reception_a, _payload(center_a, lines=[{"quantity": 1}]))
    assert response.status_code == 400 and "lines" in response.data
    assert not DeliveryDocument.objects.exists()


def test_api_refuses_a_center_the_caller_does_not_work_at(center_b, reception_a, install):
    with nothing_written():
        response = _post(DeliveryApi.as_view(), reception_a, _payload(center_b))
    assert response.status_code == 400 and "center" in response.data
    assert not DeliveryDocument.objects.exists()


def test_api_refuses_callers_without_the_permission(center_a, technician_a, install):
    assert _post(DeliveryApi.as_view(), technician_a, _payload(center_a)).status_code == 403
    assert _post(DeliveryApi.as_view(), None, _payload(center_a)).status_code in (401, 403)


def test_api_does_not_invoice_another_centers_delivery(receive_delivery, center_b, reception_b):
    delivery = receive_delivery()
    assert _post(DeliveryInvoiceApi.as_view(), reception_b, {}, pk=delivery.pk).status_code == 404
    assert not Invoice.objects.exists()


# The Excel import.

# Column keys are always accepted as titles (the labels too, in every language of the site).
HEADER = ["number", "delivered_on", "center", "customer_mobile", "customer_name", "service", "quantity",
                  "unit_price", "serial"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("deliveries.xlsx", buffer.getvalue())


@pytest.fixture
def run(manager_a, django_capture_on_commit_callbacks):
    def _run(upload):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind="deliveries", uploaded_file=upload, acting_user=manager_a)
        job.refresh_from_db()
        if job.status == ImportJob.Status.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                assert import_job_start(job=job, acting_user=manager_a)
            job.refresh_from_db()
        return job

    return _run


def test_import_groups_the_rows_of_a_delivery_into_one_document(run, center_a, service_item, install):
    job = run(xlsx([
        ["DL-1", "۱۴۰۵/۰۱/۱۰", "TEH01", "09121234567", "سارا احمدی", "INSTALL", 1, None, "SN-1"],
        ["DL-1", "1405/01/10", "teh01", "۰۹۱۲۱۲۳۴۵۶۷", "سارا احمدی", "GAS", "۲", "2,000,000", None],
        ["DL-2", datetime.datetime(2026, 3, 1), "TEH01", "09351112233", "رضا کریمی", "GAS", 1, None, None],
    ]))
    assert job.status == ImportJob.Status.DONE, job.errors or job.result
    assert job.result == {"created": 2, "lines": 3}
    first = DeliveryDocument.objects.get(number="DL-1")
    assert first.delivered_on == datetime.date(2026, 3, 30) and first.center == center_a
    assert sorted(first.lines.values_list("service_item__code", "quantity", "unit_price")) == [
        ("GAS", 2, 2_000_000), ("INSTALL", 1, 1_800_000)]
    assert DeliveryDocument.objects.get(number="DL-2").customer.mobile == "09351112233"


def test_import_preview_reports_each_bad_row_and_writes_nothing(run, service_item, install, center_a):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    job = run(xlsx([
        ["DL-1", "1405/01/10", "TEH01", "09121234567", "", "INSTALL", 1, None, None],
        ["DL-1", "1405/01/10", "TEH01", "09121234567", "", "NOPE", 1, None, None],    # row 3: unknown service
        ["DL-2", future, "TEH01", "09121234567", "", "GAS", 1, None, None],           # row 4: future date
        ["DL-3", "1405/01/10", "XXX", "09121234567", "", "GAS", 1, None, None],       # row 5: unknown center
        ["DL-4", "1405/01/10", "TEH01", "0912", "", "GAS", 0, None, None],            # row 6: mobile and quantity
        ["DL-1", "1405/01/11", "TEH01", "09121234567", "", "GAS", 1, None, None],     # row 7: other date, same delivery
        ["DL-1", "1405/01/10", "TEH01", "09121234567", "", "INSTALL", 1, None, None],  # row 8: repeats row 2
    ]))
    assert job.status == ImportJob.Status.REJECTED and job.error_count == 6
    label = {column.key: str(column.label) for column in registry.get("deliveries").columns}
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {(3, label["service"]), (4, label["delivered_on"]), (5, label["center"]),
                     (6, label["customer_mobile"]), (6, label["quantity"]), (7, label["delivered_on"]),
                     (8, label["number"])}
    assert not DeliveryDocument.objects.exists()


def test_importing_a_delivery_already_received_is_refused(run, receive_delivery, center_a):
    receive_delivery(number="DL-1")
    job = run(xlsx([["DL-1", "1405/01/10", "TEH01", "09121234567", "", "GAS", 1, None, None]]))
    # All or nothing (the default): a delivery already received refuses the file, naming its row.
    assert job.status == ImportJob.Status.FAILED and [c["row"] for c in job.result["clashes"]] == [2]
    assert DeliveryDocument.objects.count() == 1


# The pages.

def test_delivery_list_shows_only_the_users_centers(login, receive_delivery, center_b, reception_b):
    mine, theirs = receive_delivery(), receive_delivery(center=center_b, number="DL-B")
    page = login(reception_b).get(reverse("billing:delivery-list")).context["page"]
    assert list(page) == [theirs]
    assert login(reception_b).get(reverse("billing:delivery", args=[mine.pk])).status_code == 404


def test_delivery_page_issues_the_invoice_once_and_opens_it(login, receive_delivery, reception_a):
    delivery = receive_delivery()
    client = login(reception_a)
    page = client.get(reverse("billing:delivery", args=[delivery.pk]))
    assert page.status_code == 200 and 'data-testid="delivery-invoice-form"' in page.content.decode()
    assert "نصب یخچال" in page.content.decode()
    response = client.post(reverse("billing:delivery-invoice", args=[delivery.pk]), {"submission": "s-1"})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == reverse("billing:invoice", args=[invoice.pk])
    again = client.post(reverse("billing:delivery-invoice", args=[delivery.pk]), {"submission": "s-2"})
    assert again.status_code == 302 and again.url == reverse("billing:delivery", args=[delivery.pk])
    assert Invoice.objects.count() == 1
    assert 'data-testid="delivery-invoice-form"' not in client.get(reverse("billing:delivery", args=[delivery.pk])).content.decode()


def test_delivery_pages_need_the_permission(login, receive_delivery, technician_a):
    delivery = receive_delivery()
    client = login(technician_a)
    assert client.get(reverse("billing:delivery-list")).status_code == 403
    with nothing_written():
        assert client.post(reverse("billing:delivery-invoice", args=[delivery.pk])).status_code == 403


@pytest.mark.parametrize("changes, field", [
    ({"number": "D" * 1_000_000}, "number"),
    ({"customer_name": "x" * 1_000_000}, "customer_name"),
    ({"lines": [{"service": "INSTALL", "quantity": 1, "serial": "S" * 1_000_000}]}, "lines"),
    ({"lines": [{"service": "INSTALL", "quantity": 2**64}]}, "lines"),
    ({"lines": [{"service": "INSTALL", "quantity": 1, "unit_price": -5}]}, "lines"),
])
def test_api_refuses_over_long_text_and_out_of_range_numbers(center_a, reception_a, install, changes, field):
    with nothing_written():
        response = _post(DeliveryApi.as_view(), reception_a, _payload(center_a, **changes))
    assert response.status_code == 400 and field in response.data
    assert not DeliveryDocument.objects.exists()
