"""Importing serials from Excel/CSV: the preview finds every problem, the commit writes all or nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.imports.models import ImportJob
from aftersales.imports.reader import FileProblem
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["سریال", "کد برند", "کد مدل", "تاریخ تولید", "تاریخ فروش"]


def xlsx(rows, header=HEADER, name="serials.xlsx") -> SimpleUploadedFile:
    return xlsx_upload(header, rows, name)


@pytest.fixture
def run(integration_user, django_capture_on_commit_callbacks):
    def _run(upload, commit=True):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind="serials", uploaded_file=upload, acting_user=integration_user)
        job.refresh_from_db()
        if commit and job.status == ImportJob.Status.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                assert import_job_start(job=job, acting_user=integration_user)
            job.refresh_from_db()
        return job
    return _run


def test_valid_file_is_checked_then_imported_with_history(run, fridge_model):
    job = run(xlsx([["SN-۰۰۱", "snow", "rf520", "۱۴۰۵/۰۱/۱۵", None],
                    ["SN-002", "SNOW", "RF-520", datetime.datetime(2026, 1, 5), "2026-02-01"]]))
    assert job.status == ImportJob.Status.DONE and job.result == {"created": 2}
    first = ProductUnit.objects.get(serial_key="SN001")
    assert first.serial == "SN-001"  # kept as sent, digits ASCII (issue 20)
    assert first.production_date == datetime.date(2026, 4, 4) and first.status == "produced"
    second = ProductUnit.objects.get(serial_key="SN002")
    assert second.status == "sold"
    assert list(second.events.values_list("kind", flat=True)) == [UnitEvent.Kind.PRODUCED, UnitEvent.Kind.SOLD]


def test_preview_lists_every_bad_row_with_row_and_column_and_writes_nothing(run, fridge_model):
    job = run(xlsx([
        ["SN-1", "SNOW", "RF-520", "1405/01/01", None],
        ["SN-2", "SNOW", "NOPE", None, None],          # row 3: unknown model
        ["SN-3", "SNOW", "RF-520", "1405/13/40", None],  # row 4: impossible date
        ["SN-1", "SNOW", "RF-520", None, None],         # row 5: repeats row 2
        ["=CONCAT(1,2)", "SNOW", "RF-520", None, None],  # row 6: formula
        [None, "SNOW", "RF-520", None, None],            # row 7: no serial
    ]))
    assert job.status == ImportJob.Status.REJECTED and job.error_count == 5
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {(3, "کد مدل"), (4, "تاریخ تولید"), (5, "سریال"), (6, "سریال"), (7, "سریال")}
    assert any("ردیف ۲" in e["message"] or "row 2" in e["message"] or "2" in e["message"] for e in job.errors if e["row"] == 5)
    assert not ProductUnit.objects.exists()


def test_importing_the_same_file_twice_creates_no_duplicates(run, fridge_model):
    rows = [["SN-1", "SNOW", "RF-520", None, None], ["SN-2", "SNOW", "RF-520", None, None]]
    assert run(xlsx(rows)).status == ImportJob.Status.DONE
    again = run(xlsx(rows))  # all or nothing: the file is refused, its rows named
    assert again.status == ImportJob.Status.FAILED and again.existing_count == 2
    assert [clash["row"] for clash in again.result["clashes"]] == [2, 3]
    assert ProductUnit.objects.count() == 2


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("s.txt", b"serial\nA1\n"), "xlsx"),
    (SimpleUploadedFile("s.xls", b"\xd0\xcf\x11\xe0 old excel"), ".xls"),
    (SimpleUploadedFile("s.xlsx", b"%PDF-1.4 not excel"), "xlsx"),
    (SimpleUploadedFile("s.xlsx", b""), ""),
])
def test_files_that_are_not_spreadsheets_are_refused_at_upload(integration_user, upload, message):
    with pytest.raises(FileProblem) as problem:
        import_job_create(kind="serials", uploaded_file=upload, acting_user=integration_user)
    assert message in str(problem.value)
    assert not ImportJob.objects.exists()


def test_too_large_file_is_refused_with_its_size(integration_user, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.csv", b"serial\n" + b"A" * (2 * 1024 * 1024))
    with pytest.raises(FileProblem) as problem:
        import_job_create(kind="serials", uploaded_file=upload, acting_user=integration_user)
    assert "2.0" in str(problem.value) and "1" in str(problem.value)


def test_missing_or_renamed_columns_are_named(run, fridge_model):
    job = run(xlsx([["SN-1", "SNOW"]], header=["شماره سریال", "کد برند"]))
    assert job.status == ImportJob.Status.REJECTED
    message = job.errors[0]["message"]
    assert "سریال" in message and "کد مدل" in message and job.errors[0]["row"] is None


def test_header_only_and_empty_sheets_are_refused(run, fridge_model):
    assert run(xlsx([])).status == ImportJob.Status.REJECTED
    assert run(xlsx([], header=None)).status == ImportJob.Status.REJECTED


def test_csv_with_persian_digits_and_english_headers(run, fridge_model):
    body = "serial,brand,model,production_date\nSN-۹۱,SNOW,RF-520,۱۴۰۳/۱۲/۳۰\n".encode("utf-8-sig")
    job = run(SimpleUploadedFile("serials.csv", body))
    assert job.status == ImportJob.Status.DONE
    assert ProductUnit.objects.get().production_date == datetime.date(2025, 3, 20)  # 1403 is a leap year


def test_a_second_commit_of_the_same_job_is_refused(run, integration_user, fridge_model):
    job = run(xlsx([["SN-1", "SNOW", "RF-520", None, None]]), commit=False)
    assert job.status == ImportJob.Status.CHECKED
    assert import_job_start(job=job, acting_user=integration_user)
    assert not import_job_start(job=job, acting_user=integration_user)


def test_commit_failure_writes_nothing(run, integration_user, fridge_model, django_capture_on_commit_callbacks):
    job = run(xlsx([["SN-1", "SNOW", "RF-520", None, None], ["SN-2", "SNOW", "RF-520", None, None]]), commit=False)
    ProductUnit.objects.create(serial="SN2", brand=fridge_model.brand, product_model=fridge_model)  # arrives meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        import_job_start(job=job, acting_user=integration_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.result["error"]
    assert list(ProductUnit.objects.values_list("serial", flat=True)) == ["SN2"]


def test_template_has_the_expected_columns(client, integration_user):
    client.force_login(integration_user)
    response = client.get("/imports/serials/template.xlsx")
    header = [cell.value for cell in next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1))]
    assert header[:3] == ["سریال", "کد برند", "کد مدل"]


def test_pages_show_errors_and_refuse_other_users_jobs(client, run, integration_user, reception_a, fridge_model):
    job = run(xlsx([["SN-2", "SNOW", "NOPE", None, None]]))
    client.force_login(integration_user)
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-errors"' in page and "NOPE" in page
    client.force_login(reception_a)
    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert client.get("/imports/serials/upload/").status_code == 403


def test_upload_page_shows_a_persian_message_for_a_wrong_file(client, integration_user):
    client.force_login(integration_user)
    response = client.post("/imports/serials/upload/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert response.status_code == 200 and 'data-testid="error-file"' in response.content.decode()


def test_staged_lines_survive_tabs_backslashes_and_empty_values():
    from aftersales.catalog.identifiers import unit_keys
    from aftersales.catalog.importers import SerialImporter

    importer = SerialImporter()
    row = {"serial": "A\\\\B", "brand_id": 1, "product_model_id": 2, "production_date": datetime.date(2026, 1, 2),
           "sale_date": None, "batch": "", "factory": "کارخانه\tیک", "sale_invoice_no": "X\\\\t", "delivery_note_no": "",
           "subscription_no": "", "dealer_code": "", "dealer_name": "نماینده\nدو"}
    row.update(unit_keys(row))
    back = importer.load(importer.dump(row))
    assert back["factory"] == "کارخانه\tیک" and back["dealer_name"] == "نماینده\nدو"
    assert back["serial"] == "A\\\\B" and back["sale_invoice_no"] == "X\\\\t"
    assert back["sale_date"] is None and back["production_date"] == "2026-01-02" and back["brand_id"] == 1


def test_import_menu_shows_for_whoever_may_run_an_importer(client, reception_a, technician_a):
    client.force_login(reception_a)  # may import customers
    assert 'href="/imports/"' in client.get("/").content.decode()
    client.force_login(technician_a)
    assert 'href="/imports/"' not in client.get("/").content.decode()
    assert client.get("/imports/").status_code == 403
