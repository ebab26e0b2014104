"""A list's Excel export can be imported back (issue 20): the import template's headers and codes, the
header row frozen, right to left."""

import io

import pytest
from django.apps import apps
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


def test_a_changed_cell_of_an_exported_units_file_shows_in_the_preview(client, integration_user, imported):
    imported(_xlsx([["SN-1", "SNOW", "RF-520", "1405/01/10", "B-7", None, None, None, None, None],
                    ["SN-2", "SNOW", "RF-520", None, "B-8", None, None, None, None, None]]),
             mode=ImportJob.Mode.ALL_OR_NOTHING)
    client.force_login(integration_user)
    workbook = load_workbook(io.BytesIO(client.get("/data/units/export.xlsx").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[header.index("سریال")].value == "SN-1")
    row[header.index("بچ / سری ساخت")].value = "B-70"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = imported(buffer.getvalue())
    assert job.status == ImportJob.Status.CHECKED and job.errors == []
    assert (job.existing_count, job.existing["changed"]) == (2, 1)
    changed = next(row for row in job.existing["rows"] if row["changes"])
    assert changed["key"] == "SN-1"
    assert [(c["column"], c["old"], c["new"]) for c in changed["changes"]] == [("بچ / سری ساخت", "B-7", "B-70")]


# The other importable lists: product models, spare parts, customers, competitor prices. Each is filled
# through its own importer from a file in its template, exported, and the export imported back.

def _file(kind, rows) -> bytes:
    template = load_workbook(io.BytesIO(template_bytes(importer_get(kind)))).active
    workbook = Workbook()
    workbook.active.append([cell.value for cell in template[1]])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(user, kind, content, capture, mode=None):
    with capture(execute=True):
        job = import_job_create(kind=kind, uploaded_file=SimpleUploadedFile(f"{kind}.xlsx", content), acting_user=user)
    job.refresh_from_db()
    if mode and job.status == ImportJob.Status.CHECKED:
        with capture(execute=True):
            assert import_job_start(job=job, acting_user=user, mode=mode)
        job.refresh_from_db()
    return job


@pytest.fixture
def tehran(db):
    from aftersales.regions.models import Region

    return Region.objects.get(kind=Region.Kind.CITY, name="تهران")  # the regions loaded by the migrations


@pytest.fixture
def rival(db):
    from aftersales.competitors.models import Competitor

    return Competitor.objects.create(code="lg", name="ال‌جی")


def _spare_part_setup():
    from aftersales.catalog.models import Brand, ProductModel

    other = Brand.objects.create(code="FROST", name="فراست")
    ProductModel.objects.create(code="RF-610", name="یخچال ۶۱۰", brand=other, group=ProductModel.objects.get().group)


LISTS = {
    # list slug: (importer kind, extra setup, rows in the template's order, {header: value expected in the export})
    "product-models": ("product-models", None, [
        ["RF-700", "SNOW", "یخچال دوقلو ۷۰۰", "FRIDGE", "1200000000"],
        ["RF-710", "SNOW", "یخچال ۷۱۰", "یخچال", None],
    ], {"کد برند": "SNOW", "گروه کالا": "FRIDGE"}),
    "spare-parts": ("spare-parts", _spare_part_setup, [
        ["CMP-520", "کمپرسور ۵۲۰", "عدد", "120000000", "COMPRESSOR", "RF-520، RF-610"],
        ["GSK-1", "نوار درب", "متر", None, None, None],
    ], {"نوع قطعه": "COMPRESSOR"}),
    "customers": ("customers", None, [
        ["09121234567", "حقیقی", "مریم", "احمدی", None, "0499370899", None, None, "02188776655", "1370/05/20",
         "تهران", "خیابان آزادی، پلاک ۱", "7134567891"],
        ["09351234567", "حقوقی", None, None, "شرکت نمونه", None, "10380284790", None, None, None, None, None, None],
        ["09129876543", None, "علی", "رضایی", None, None, None, None, None, None, None, None, None],
    ], {"تاریخ تولد": "1370/05/20", "شهر یا منطقه": "تهران"}),
    "competitor-prices": ("competitor-prices", None, [
        ["lg", "GR-X257", "یخچال ساید", "RF-520", "1405/09/01", "950000000", "تهران", "shop"],
        ["ال‌جی", "GR-X257", None, None, "1405/08/01", "930000000", None, "website"],
    ], {"رقیب": "lg", "مدل مشابه ما": "RF520", "منبع": "shop"}),
}


MODELS = {"product-models": "catalog.ProductModel", "spare-parts": "catalog.SparePart",
          "customers": "customers.Customer", "competitor-prices": "competitors.PriceObservation"}


@pytest.mark.parametrize("slug", list(LISTS))
def test_every_importable_list_exports_a_file_that_imports_back_as_already_registered(
        slug, client, integration_user, fridge_model, tehran, rival, django_capture_on_commit_callbacks):
    kind, setup, rows, expected = LISTS[slug]
    if setup:
        setup()
    capture = django_capture_on_commit_callbacks
    job = _import(integration_user, kind, _file(kind, rows), capture, mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert job.status == ImportJob.Status.DONE, (job.errors, job.result)
    model = apps.get_model(MODELS[slug])
    count = model.objects.count()
    assert count == len(rows) + (slug == "product-models")  # and the fridge model of the fixture

    client.force_login(integration_user)
    response = client.get(f"/data/{slug}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    template = [cell.value for cell in load_workbook(io.BytesIO(template_bytes(importer_get(kind)))).active[1]]
    header = [cell.value for cell in sheet[1]]
    assert header[:len(template)] == template
    assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft
    exported = [dict(zip(header, [cell.value for cell in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(exported) == count
    for column, value in expected.items():
        assert value in {row[column] for row in exported}, (column, [row[column] for row in exported])

    job = _import(integration_user, kind, response.content, capture)
    assert job.status == ImportJob.Status.CHECKED and job.errors == []
    assert job.existing_count == count
    job = _import(integration_user, kind, response.content, capture, mode=ImportJob.Mode.NEW_ONLY)
    assert job.status == ImportJob.Status.DONE
    assert (job.result["created"], job.result["skipped"]) == (0, count)
    assert model.objects.count() == count


def test_exported_codes_and_values_are_the_ones_the_template_was_filled_with(
        client, integration_user, fridge_model, tehran, rival, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _spare_part_setup()
    for slug in ("product-models", "spare-parts", "customers"):
        kind, _setup, rows, _expected = LISTS[slug]
        assert _import(integration_user, kind, _file(kind, rows), capture, mode=ImportJob.Mode.ALL_OR_NOTHING).status \
            == ImportJob.Status.DONE
    client.force_login(integration_user)

    def rows_of(slug, key):
        sheet = load_workbook(io.BytesIO(client.get(f"/data/{slug}/export.xlsx").content)).active
        header = [cell.value for cell in sheet[1]]
        return {row[key]: row for row in (dict(zip(header, [c.value for c in r], strict=True))
                                          for r in sheet.iter_rows(min_row=2))}

    models = rows_of("product-models", "کد مدل")
    assert models["RF700"]["قیمت (ریال)"] == 1200000000 and models["RF710"]["قیمت (ریال)"] in (None, "")
    parts = rows_of("spare-parts", "کد قطعه")
    assert set(parts["CMP520"]["مناسب برای مدل‌های"].split("، ")) == {"RF520", "RF610"}
    assert parts["GSK1"]["واحد"] == "متر" and parts["GSK1"]["مناسب برای مدل‌های"] in (None, "")
    customers = rows_of("customers", "تلفن همراه")
    person, company = customers["09121234567"], customers["09351234567"]
    assert (person["نوع"], person["تلفن"], person["نشانی"], person["کد پستی"]) == (
        "حقیقی", "02188776655", "خیابان آزادی، پلاک 1", "7134567891")
    assert (company["نوع"], company["نام شرکت"], company["شناسه ملی"]) == ("حقوقی", "شرکت نمونه", "10380284790")


def test_other_lists_keep_their_own_columns_with_the_header_frozen(client, integration_user, fridge_model):
    client.force_login(integration_user)
    sheet = load_workbook(io.BytesIO(client.get("/data/brands/export.xlsx").content)).active
    assert [cell.value for cell in sheet[1]] == ["نام", "کد"] and sheet.freeze_panes == "A2"
