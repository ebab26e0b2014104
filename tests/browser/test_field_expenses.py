"""A marketer files a visit expense from a phone with the receipt's photo, the manager refuses one without a
reason (told to give one), then with a reason, approves the other, and the marketer reads the decisions."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    from aftersales.organization.roles import sync_roles

    sync_roles()


def _sign_in(browser, url, user, password, **context):
    session = browser.new_context(locale="fa-IR", **context)
    page = session.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    return session, page


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (90, 140), "white")
    ImageDraw.Draw(image).rectangle((10, 10, 80, 120), outline=(60, 60, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_marketer_files_with_a_photo_and_the_manager_decides(live_server, browser, password, center_a, settings,
                                                              tmp_path):
    from aftersales.field.models import VisitExpense
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    settings.FIELD_RECEIPT_REQUIRED_OVER = 5_000_000
    visitor = UserFactory(username="visitor_phone", first_name="مریم", last_name="احمدی", role=Role.VISITOR,
                          centers=[center_a])
    manager = UserFactory(username="center_boss", first_name="رضا", last_name="نادری", role=Role.CENTER_MANAGER,
                          centers=[center_a], is_staff=True)
    ARTIFACTS.mkdir(exist_ok=True)
    phone, page = _sign_in(browser, live_server.url, visitor, password, viewport={"width": 390, "height": 844},
                           is_mobile=True, has_touch=True)

    page.goto(f"{live_server.url}/field/expenses/new/")
    expect(page.locator("input[type=file][capture=environment]")).to_have_count(1)
    page.select_option("#id_kind", "lodging")
    page.fill("#id_amount", "۸٬۵۰۰٬۰۰۰")
    page.fill("#id_description", "یک شب اقامت — بازدید شهرستان")
    page.click("[data-testid=expense-save]")
    expect(page.locator("[data-testid=error-receipt]")).to_contain_text("عکس رسید لازم است")
    page.screenshot(path=str(ARTIFACTS / "field-expense-no-receipt.png"), full_page=True)
    page.set_input_files("#id_receipt", {"name": "receipt.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
    page.click("[data-testid=expense-save]")
    expect(page.locator("[data-testid=expense-status]")).to_contain_text("در انتظار تأیید")
    expect(page.locator("[data-testid=expense-receipt] img")).to_be_visible()
    # The photo comes through the scoped receipt view; a loaded machine may still be fetching it.
    page.wait_for_function("() => { const img = document.querySelector('[data-testid=expense-receipt] img');"
                           " return img && img.complete && img.naturalWidth > 0; }")
    assert page.locator("[data-testid=expense-receipt] img").evaluate("img => img.naturalWidth") == 90
    page.screenshot(path=str(ARTIFACTS / "field-expense-filed.png"), full_page=True)
    page.goto(f"{live_server.url}/field/expenses/new/")
    page.select_option("#id_kind", "meal")
    page.fill("#id_amount", "۱۲۰۰۰۰۰")
    page.click("[data-testid=expense-save]")
    expect(page.locator("[data-testid=expense-status]")).to_be_visible()
    lodging, meal = VisitExpense.objects.order_by("pk")

    desk, office = _sign_in(browser, live_server.url, manager, password)
    office.goto(f"{live_server.url}/field/expenses/queue/")
    expect(office.locator("[data-testid=expense-queue] tbody tr")).to_have_count(2)
    office.screenshot(path=str(ARTIFACTS / "field-expense-queue.png"), full_page=True)
    office.goto(f"{live_server.url}/field/expenses/{lodging.pk}/")
    office.fill("input[name=reason]", "اقامت در برنامهٔ تور نبود؛ با مدیر هماهنگ کنید.")
    office.click("[data-testid=expense-refuse]")
    expect(office.locator("[data-testid=expense-status]")).to_contain_text("رد شد")
    office.goto(f"{live_server.url}/field/expenses/{meal.pk}/")
    office.click("[data-testid=expense-approve]")
    expect(office.locator("[data-testid=expense-status]")).to_contain_text("تأیید شد")

    page.goto(f"{live_server.url}/field/expenses/mine/")
    expect(page.locator("[data-testid=expense-mine]")).to_contain_text("با مدیر هماهنگ کنید")
    expect(page.locator("[data-testid=expense-month-totals]")).to_contain_text("۱٬۲۰۰٬۰۰۰")
    page.screenshot(path=str(ARTIFACTS / "field-expense-mine.png"), full_page=True)
    desk.close()
    phone.close()
