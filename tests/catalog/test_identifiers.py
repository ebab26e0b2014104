"""Identifiers kept as sent (issue 20): a unit's serial, invoice, delivery-note, subscription and batch
numbers are stored as the factory sent them or the user typed them, and matched on one key, whichever
way in — importer, desk form, push API."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.catalog.identifiers import identifier_key
from aftersales.catalog.models import ProductUnit
from aftersales.catalog.services import units_push
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import nothing_written, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["serial", "brand", "model", "production_date", "batch", "factory", "sale_invoice_no",
          "delivery_note_no", "subscription_no", "dealer_code"]


def _xlsx(rows) -> SimpleUploadedFile:
    return xlsx_upload(HEADER, rows, "serials.xlsx")


def _import(rows, user, capture):
    with capture(execute=True):
        job = import_job_create(kind="serials", uploaded_file=_xlsx(rows), acting_user=user)
    job.refresh_from_db()
    if job.status == ImportJob.Status.CHECKED:
        with capture(execute=True):
            import_job_start(job=job, acting_user=user)
        job.refresh_from_db()
    return job


def test_the_key_folds_separators_case_digits_and_arabic_letters():
    assert identifier_key("AB-12 34") == identifier_key("ab1234") == identifier_key("AB ۱۲-۳۴") == "AB1234"
    assert identifier_key("F/900.1") == identifier_key("f\u200c۹۰۰-١") == "F9001"
    assert identifier_key("كي-1") == identifier_key("کی 1")  # Arabic kaf and yeh are the Persian letters
    assert identifier_key("") == identifier_key(None) == identifier_key(" - ") == ""


@pytest.fixture
def imported(integration_user, fridge_model, django_capture_on_commit_callbacks):
    job = _import([["AB-12 34", "SNOW", "RF-520", None, "B-7", None, "F-900/12", "HV 55", "ab-۳۳", "D-01"]],
                  integration_user, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    return ProductUnit.objects.get()


def test_an_imported_unit_keeps_its_numbers_as_sent(imported):
    assert (imported.serial, imported.batch, imported.sale_invoice_no, imported.delivery_note_no,
            imported.subscription_no, imported.dealer_code) == ("AB-12 34", "B-7", "F-900/12", "HV 55", "ab-33", "D-01")
    assert (imported.serial_key, imported.sale_invoice_key, imported.subscription_key) == ("AB1234", "F90012", "AB33")


def test_a_unit_imported_as_sent_is_one_unit_with_what_a_form_types(client, head_office, imported, fridge_model):
    client.force_login(head_office)
    form = {"serial": "ab1234", "brand": fridge_model.brand.pk, "product_model": fridge_model.pk}
    with nothing_written():
        answer = client.post("/data/units/new/", form)
    assert answer.status_code in (200, 400) and "ثبت شده" in answer.content.decode()
    with nothing_written():
        answer = client.post("/data/units/new/", {**form, "serial": "AB ۱۲-۳۴"})
    assert answer.status_code in (200, 400)
    assert ProductUnit.objects.count() == 1
    # Found however it is typed, shown and exported as the factory sent it.
    for typed in ("ab1234", "AB ۱۲-۳۴", "ab-12-34"):
        assert f"/data/units/{imported.pk}/" in client.get("/data/units/", {"q": typed}).content.decode()
    export = client.get("/data/units/export.xlsx", {"q": "ab1234"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert any("AB-12 34" in [str(cell.value) for cell in row] for row in sheet.iter_rows())


def test_a_number_typed_in_a_form_is_found_and_kept_as_typed(client, head_office, fridge_model):
    client.force_login(head_office)
    answer = client.post("/data/units/new/", {"serial": "xy-5 6", "brand": fridge_model.brand.pk,
                                              "product_model": fridge_model.pk, "sale_invoice_no": "ف-۷۷"})
    assert answer.status_code == 302
    unit = ProductUnit.objects.get()
    assert (unit.serial, unit.serial_key, unit.sale_invoice_no, unit.sale_invoice_key) == ("xy-5 6", "XY56", "ف-77", "ف77")
    assert f"/data/units/{unit.pk}/" in client.get("/data/units/", {"q": "XY56"}).content.decode()
    assert f"/data/units/{unit.pk}/" in client.get("/data/units/", {"q": "ف۷۷"}).content.decode()


def test_the_push_api_matches_the_imported_unit_and_keeps_what_was_sent(imported):
    result = units_push(units=[{"serial": "ab ۱۲-۳۴", "brand": "snow", "model": "RF-520", "sale_invoice_no": "F 900 12"}],
                        events=[{"serial": "AB1234", "event_id": "e1", "kind": "sold", "occurred_at": "2026-02-01T10:00:00+03:30"}])
    assert [row["status"] for row in result["units"]] == ["updated"]
    assert [row["status"] for row in result["events"]] == ["created"]
    assert ProductUnit.objects.count() == 1
    unit = ProductUnit.objects.get()
    assert (unit.serial, unit.sale_invoice_no, unit.sale_invoice_key) == ("ab 12-34", "F 900 12", "F90012")


def test_a_file_with_the_same_serial_written_another_way_is_refused_as_existing(
        imported, integration_user, django_capture_on_commit_callbacks):
    job = _import([["ab-1234", "SNOW", "RF-520"]], integration_user, django_capture_on_commit_callbacks)
    assert job.status != ImportJob.Status.DONE or job.result.get("created", 0) == 0
    assert ProductUnit.objects.count() == 1


def test_the_migration_fills_the_keys_of_existing_rows(fridge_model):
    import importlib

    from django.apps import apps
    from django.db import connection

    ProductUnit.objects.create(serial="OLD1", brand=fridge_model.brand, product_model=fridge_model, batch="B1")
    typed = ProductUnit.objects.create(serial="x", brand=fridge_model.brand, product_model=fridge_model)
    # As before issue 20: the invoice stored as typed in a form, no keys yet.
    ProductUnit.objects.filter(pk=typed.pk).update(serial="new-2", sale_invoice_no="inv 5", serial_key="")
    ProductUnit.objects.update(batch_key="", sale_invoice_key="")
    migration = importlib.import_module("aftersales.catalog.migrations.0008_unit_identifier_keys")

    class Editor:
        def __init__(self):
            self.connection = connection

        def quote_name(self, name):
            return connection.ops.quote_name(name)

    migration.keys_fill(apps, Editor())
    assert sorted(ProductUnit.objects.values_list("serial_key", "batch_key", "sale_invoice_key")) == [
        ("NEW2", "", "INV5"), ("OLD1", "B1", "")]


def test_the_units_api_refuses_a_serial_registered_another_way(api_client, head_office, imported, fridge_model):
    api_client.force_authenticate(head_office)
    with nothing_written():
        answer = api_client.post("/api/units/", {"serial": "ab ۱۲۳۴", "brand": fridge_model.brand.pk,
                                                 "product_model": fridge_model.pk}, format="json")
    assert answer.status_code == 400 and "سریال" in str(answer.json())  # one unit per brand and serial key
    answer = api_client.post("/api/units/", {"serial": "cd-5 6", "brand": fridge_model.brand.pk,
                                             "product_model": fridge_model.pk, "sale_invoice_no": "ف-۱"}, format="json")
    assert answer.status_code == 201
    unit = ProductUnit.objects.get(pk=answer.json()["id"])
    assert (unit.serial, unit.serial_key, unit.sale_invoice_no, unit.sale_invoice_key) == ("cd-5 6", "CD56", "ف-1", "ف1")
