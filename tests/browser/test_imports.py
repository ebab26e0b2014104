"""A head-office user imports serials through the preview and commit screens."""

from pathlib import Path

import pytest
from openpyxl import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _xlsx(path: Path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["سریال", "کد برند", "کد مدل", "تاریخ تولید"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_serials_file_goes_through_preview_then_commit(live_server, page, password, tmp_path):
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel, ProductUnit
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="hq", role=Role.HEAD_OFFICE_MANAGER)
    group = ProductGroup.objects.create(code="FRIDGE", name="یخچال")
    brand = Brand.objects.create(code="SNOW", name="اسنوا")
    ProductModel.objects.create(code="RF-520", name="یخچال ۵۲۰", brand=brand, group=group)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hq")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/imports/serials/upload/")
    page.set_input_files("#id_file", str(_xlsx(tmp_path / "bad.xlsx", [["SN-1", "SNOW", "RF-520", "۱۴۰۵/۰۱/۱۰"], ["SN-2", "SNOW", "XX-9", "1405/13/01"]])))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=import-errors]")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "XX-9" in errors and "کد مدل" in errors and "تاریخ تولید" in errors
    page.screenshot(path=str(ARTIFACTS / "import-preview-errors.png"), full_page=True)
    assert not ProductUnit.objects.exists()

    page.goto(f"{live_server.url}/imports/serials/upload/")
    page.set_input_files("#id_file", str(_xlsx(tmp_path / "good.xlsx", [["SN-1", "SNOW", "RF-520", "۱۴۰۵/۰۱/۱۰"], ["SN-2", "SNOW", "RF-520", "1405/02/01"]])))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=commit]")
    page.screenshot(path=str(ARTIFACTS / "import-preview-ok.png"), full_page=True)
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=import-done]")
    assert "۲" in page.inner_text("[data-testid=import-done]")
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
    assert set(ProductUnit.objects.values_list("serial", flat=True)) == {"SN-1", "SN-2"}  # kept as sent (issue 20)
