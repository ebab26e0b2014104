"""A list's Excel export can be imported back (issue 20): the import template's headers and codes, the
header row frozen, right to left."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from aftersales.catalog.models import ProductUnit
from aftersales.imports.models import ImportJob
from aftersales.imports.reader import template_bytes
from aftersales.imports.registry import get as importer_get
from aftersales.imports.services import import_job_create, import_job_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(integration_user, fridge_model, django_capture_on_commit_callbacks):
    """Import a file; with ``mode``, commit it that way too."""
    def _imported(content: bytes, name="units.xlsx", mode=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind="serials", uploaded_file=SimpleUploadedFile(name, content),
                                    acting_user=integration_user)
        job.refresh_from_db()
        if mode and job.status == ImportJob.Status.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                assert import_job_start(job=job, acting_user=integration_user, mode=mode)
            job.refresh_from_db()
        return job
    return _imported


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(["سریال", "کد برند", "کد مدل", "تاریخ تولید", "بچ / سری ساخت", "کارخانه",
                            "شماره فاکتور فروش", "کد نماینده", "نماینده فروش", "تاریخ فروش"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_units_export_has_the_import_templates_headers_and_codes_frozen_and_right_to_left(
        client, integration_user, imported):
    imported(_xlsx([["SN-1", "SNOW", "RF-520", "1405/01/10", "B-7", "کارخانه یک", "F-100", "D-9", "فروشگاه", "1405/02/01"]]),
             mode=ImportJob.Mode.ALL_OR_NOTHING)
    client.force_login(integration_user)
    response = client.get("/data/units/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    template = [cell.value for cell in load_workbook(io.BytesIO(template_bytes(importer_get("serials")))).active[1]]
    header = [cell.value for cell in sheet[1]]
    assert header[:len(template)] == template
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["کد برند"], row["کد مدل"]) == ("SNOW", ProductUnit.objects.get().product_model.code)
    assert row["تاریخ تولید"] == "1405/01/10" and row["تاریخ فروش"] == "1405/02/01"
    assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft


def test_an_exported_units_file_imports_back_in_add_and_update_mode_changing_nothing(client, integration_user, imported):
    imported(_xlsx([["SN-1", "SNOW", "RF-520", "1405/01/10", "B-7", "کارخانه یک", "F-100", "D-9", "فروشگاه", "1405/02/01"],
                    ["SN-2", "SNOW", "RF-520", None, None, None, None, None, None, None],
                    ["SN-3", "SNOW", "RF-520", "1404/12/29", "B-8", None, None, None, None, None]]),
             mode=ImportJob.Mode.ALL_OR_NOTHING)
    before = list(ProductUnit.objects.order_by("pk").values())
    client.force_login(integration_user)
    exported = client.get("/data/units/export.xlsx").content
    job = imported(exported, name="units.xlsx")
    assert job.status == ImportJob.Status.CHECKED and job.errors == []
    assert job.existing_count == 3 and job.existing["changed"] == 0
    job = imported(exported, name="units.xlsx", mode=ImportJob.Mode.UPDATE)
    assert job.status == ImportJob.Status.DONE
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (0, 0, 3)
    assert list(ProductUnit.objects.order_by("pk").values()) == before


def test_other_lists_keep_their_own_columns_with_the_header_frozen(client, integration_user, fridge_model):
    client.force_login(integration_user)
    sheet = load_workbook(io.BytesIO(client.get("/data/brands/export.xlsx").content)).active
    assert [cell.value for cell in sheet[1]] == ["نام", "کد"] and sheet.freeze_panes == "A2"
