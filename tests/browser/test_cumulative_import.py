"""A head-office user re-imports the factory's cumulative serial file, choosing "add new rows only" (issue 20)."""

from pathlib import Path

import pytest
from openpyxl import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _xlsx(path: Path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["سریال", "کد برند", "کد مدل", "تاریخ تولید", "بچ / سری ساخت"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/imports/serials/upload/")
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=commit]")


def test_reimporting_a_cumulative_file_adds_only_the_new_serials(live_server, page, password, tmp_path):
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel, ProductUnit
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="hq", role=Role.HEAD_OFFICE_MANAGER)
    group = ProductGroup.objects.create(code="FRIDGE", name="یخچال")
    brand = Brand.objects.create(code="SNOW", name="اسنوا")
    ProductModel.objects.create(code="RF-520", name="یخچال ۵۲۰", brand=brand, group=group)
    ARTIFACTS.mkdir(exist_ok=True)
    week_one = [[f"SN-{n:03d}", "SNOW", "RF-520", "1405/01/10", "B-1"] for n in range(1, 4)]
    week_two = [*week_one[:2], ["SN-003", "SNOW", "RF-520", "1405/01/10", "B-2"],
                *([f"SN-{n:03d}", "SNOW", "RF-520", "1405/02/01", "B-2"] for n in range(4, 6))]

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hq")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    _upload(page, live_server, _xlsx(tmp_path / "week-1.xlsx", week_one))
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=import-done]")
    assert ProductUnit.objects.count() == 3

    # The factory sends the whole list again, two serials longer.
    _upload(page, live_server, _xlsx(tmp_path / "week-2.xlsx", week_two))
    summary = page.inner_text("[data-testid=import-summary]")
    assert "۵" in summary and "۳" in summary
    existing = page.inner_text("[data-testid=import-existing]")
    assert "SN-001" in existing and "SN-003" in existing and "B-1" in existing and "B-2" in existing
    assert page.is_checked("input[name=mode][value=new_only]")  # the default once rows are registered
    page.check("input[name=mode][value=new_only]")
    page.screenshot(path=str(ARTIFACTS / "import-cumulative-preview.png"), full_page=True)
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=import-done]")
    done = page.inner_text("[data-testid=import-done]")
    assert "۲" in done and "۳" in done
    skipped = page.inner_text("[data-testid=import-clashes]")
    assert "SN-001" in skipped and "SN-003" in skipped and "SN-004" not in skipped
    page.screenshot(path=str(ARTIFACTS / "import-cumulative-done.png"), full_page=True)
    assert ProductUnit.objects.count() == 5
    assert ProductUnit.objects.get(serial_key="SN003").batch == "B-1"  # skipped, not updated
