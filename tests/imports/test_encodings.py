"""CSV files as Excel and other programs save them: UTF-8 with or without BOM, UTF-16, Windows-1256 (issue 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.catalog.models import ProductUnit
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start

pytestmark = pytest.mark.django_db

# Persian headers and values, with the Arabic ي and ك that Windows-1256 has in place of the Persian ی and ک.
TEXT = ("سريال,كد برند,كد مدل,كارخانه,نماینده فروش\r\n"
        "SN-1,SNOW,RF-520,كارخانه پارس گيلان,فروشگاه ژاله چمران\r\n"
        "SN-2,SNOW,RF-520,كارخانه پارس گيلان,فروشگاه ژاله چمران\r\n").replace("ی", "ي")


@pytest.mark.parametrize("encoding, bytes_of, shown", [
    ("utf-8", lambda text: text.encode("utf-8"), "UTF-8"),
    ("utf-8-sig", lambda text: text.encode("utf-8-sig"), "UTF-8 (با BOM)"),
    ("utf-16", lambda text: text.encode("utf-16"), "UTF-16"),  # with its BOM, as Excel's "Unicode text"
    ("utf-16", lambda text: text.encode("utf-16-be").join([b"\xfe\xff", b""]), "UTF-16"),
    ("cp1256", lambda text: text.encode("cp1256"), "Windows-1256"),
])
def test_csv_is_read_in_its_encoding_and_the_preview_names_it(
        client, integration_user, fridge_model, django_capture_on_commit_callbacks, encoding, bytes_of, shown):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="serials", uploaded_file=SimpleUploadedFile("serials.csv", bytes_of(TEXT)),
                                acting_user=integration_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert job.encoding == encoding and job.total_rows == 2
    client.force_login(integration_user)
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-encoding"' in page and shown in page
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_start(job=job, acting_user=integration_user)
    unit = ProductUnit.objects.get(serial_key="SN1")
    assert unit.factory == "کارخانه پارس گیلان" and unit.dealer_name == "فروشگاه ژاله چمران"


def test_an_excel_file_names_no_encoding(client, integration_user, fridge_model, django_capture_on_commit_callbacks):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["سریال", "کد برند", "کد مدل"])
    workbook.active.append(["SN-1", "SNOW", "RF-520"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="serials", uploaded_file=SimpleUploadedFile("s.xlsx", buffer.getvalue()),
                                acting_user=integration_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.encoding == ""
