import pytest

from aftersales.catalog.models import ProductModel, SparePart
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import xlsx_upload

pytestmark = pytest.mark.django_db


def _xlsx(header, rows):
    return xlsx_upload(header, rows, "f.xlsx")


def _import(kind, upload, user, capture):
    with capture(execute=True):
        job = import_job_create(kind=kind, uploaded_file=upload, acting_user=user)
    job.refresh_from_db()
    if job.status == ImportJob.Status.CHECKED:
        with capture(execute=True):
            import_job_start(job=job, acting_user=user)
        job.refresh_from_db()
    return job


def test_product_models_import_with_group_by_name_and_price(integration_user, fridge_model, django_capture_on_commit_callbacks):
    header = ["کد مدل", "کد برند", "نام", "گروه کالا", "قیمت (ریال)"]
    job = _import("product-models", _xlsx(header, [["RF-610", "snow", "یخچال ۶۱۰", "یخچال", "۱٬۱۰۰٬۰۰۰٬۰۰۰"],
                                                   ["RF-520", "SNOW", "تکراری", "FRIDGE", None]]), integration_user, django_capture_on_commit_callbacks)
    # All or nothing (the default): a model already registered refuses the file, naming its row.
    assert job.status == ImportJob.Status.FAILED and [c["row"] for c in job.result["clashes"]] == [3]
    assert not ProductModel.objects.filter(code="RF610").exists()
    job = _import("product-models", _xlsx(header, [["RF-610", "snow", "یخچال ۶۱۰", "یخچال", "۱٬۱۰۰٬۰۰۰٬۰۰۰"]]), integration_user, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    model = ProductModel.objects.get(code="RF610")
    assert model.group.code == "FRIDGE" and model.prices.get().price == 1_100_000_000


def test_spare_parts_import_links_models_and_units(integration_user, fridge_model, django_capture_on_commit_callbacks):
    header = ["کد قطعه", "نام", "واحد", "قیمت (ریال)", "نوع قطعه", "مناسب برای مدل‌های"]
    job = _import("spare-parts", _xlsx(header, [["CMP-1", "کمپرسور", "عدد", 120000000, "COMPRESSOR", "RF-520"],
                                                ["GAS-1", "گاز", "لیتر", None, None, "RF-520، XX-1"]]), integration_user, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.REJECTED and {(e["row"], e["column"]) for e in job.errors} == {(3, "مناسب برای مدل‌های")}
    job = _import("spare-parts", _xlsx(header, [["CMP-1", "کمپرسور", "عدد", 120000000, "COMPRESSOR", "RF-520"]]), integration_user, django_capture_on_commit_callbacks)
    part = SparePart.objects.get(code="CMP1")
    assert list(part.fits_models.all()) == [fridge_model] and part.component_type.code == "COMPRESSOR"
