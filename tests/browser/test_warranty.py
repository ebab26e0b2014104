"""A receptionist issues and activates a card, prints it, and the QR link opens the public check."""

import datetime
from pathlib import Path

import pytest
import segno

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _jalali_months_ago(months: int, day: int = 10) -> tuple[int, int, int]:
    """The Jalali (year, month, day) ``months`` before this month, on ``day``: a purchase date that stays
    recent whatever the real date. The browser keeps the real clock (its session cookie expires by it),
    so these tests choose dates relative to today instead of freezing the server's clock (issue 13)."""
    import jdatetime
    from django.utils import timezone

    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return year, month + 1, day


def _months_after(date: tuple[int, int, int], months: int) -> tuple[int, int, int]:
    year, month = divmod(date[0] * 12 + date[1] - 1 + months, 12)
    return year, month + 1, date[2]


def _persian(date: tuple[int, int, int]) -> str:
    from aftersales.core.persian import localize_digits

    return localize_digits("%04d/%02d/%02d" % date)


def test_card_is_issued_printed_and_checked_by_its_qr_link(live_server, page, password, center_a):
    from aftersales.catalog.models import Brand, ComponentType, ModelComponent, ProductGroup, ProductModel, ProductUnit
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    model = ProductModel.objects.create(code="RF-520", name="یخچال ساید ۵۲۰", brand=Brand.objects.create(code="SNOW", name="اسنوا"),
                                        group=ProductGroup.objects.create(code="FRIDGE", name="یخچال"))
    ModelComponent.objects.create(product_model=model, component_type=ComponentType.objects.create(code="CMP", name="کمپرسور"))
    policy = WarrantyPolicy.objects.create(code="p18", name="۱۸ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2025, 1, 1), duration_months=18)
    ModelWarranty.objects.create(product_model=model, policy=policy)
    unit = ProductUnit.objects.create(serial="SN-77001", brand=model.brand, product_model=model)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/data/units/{unit.pk}/")
    page.click("[data-testid=card-issue]")
    purchase = _jalali_months_ago(2)
    page.fill("#id_purchase_date", _persian(purchase))
    page.press("#id_purchase_date", "Enter")
    page.wait_for_selector("[data-testid=unit-warranty] [data-state=active]")
    page.screenshot(path=str(ARTIFACTS / "unit-warranty.png"), full_page=True)

    page.click("[data-testid=card-view]")
    qr = page.locator("[data-testid=card-qr]")
    url = qr.get_attribute("data-url")
    assert url.endswith("/warranty/check?serial=SN-77001")  # the serial as the factory sent it (issue 20)
    # The drawn code is the one for that link.
    expected = segno.make(url, error="m").svg_inline(scale=4, border=2).split('d="')[1].split('"')[0]
    assert qr.locator("svg path").first.get_attribute("d") == expected
    page.screenshot(path=str(ARTIFACTS / "warranty-card.png"))

    with page.expect_response(lambda r: r.url.endswith(".pdf")) as pdf:
        page.evaluate("url => fetch(url)", page.url.rstrip("/") + ".pdf")
    assert pdf.value.headers["content-type"] == "application/pdf"

    page.context.clear_cookies()
    page.goto(url)
    result = page.locator("[data-testid=warranty-result]")
    assert result.get_attribute("data-state") == "active"
    end = _months_after(purchase, 18)
    assert _persian((end[0], end[1], 9)) in result.inner_text()  # 18 months from the 10th: the 9th is the last day
    page.screenshot(path=str(ARTIFACTS / "warranty-public-check.png"))


def test_customer_activates_their_warranty_on_a_phone_with_the_texted_code(live_server, browser):
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel, ProductUnit
    from aftersales.messaging.backends.sms import MemorySmsBackend
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyCard, WarrantyPolicy

    load_default_templates(MessageTemplate, EventRule)  # a transactional test before this one emptied the tables
    model = ProductModel.objects.create(code="WM-8", name="ماشین لباسشویی ۸ کیلویی", brand=Brand.objects.create(code="SNOW", name="اسنوا"),
                                        group=ProductGroup.objects.create(code="WASH", name="لباسشویی"))
    policy = WarrantyPolicy.objects.create(code="p24", name="۲۴ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2025, 1, 1), duration_months=24)
    ModelWarranty.objects.create(product_model=model, policy=policy)
    unit = ProductUnit.objects.create(serial="WM-90012", brand=model.brand, product_model=model)
    ARTIFACTS.mkdir(exist_ok=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/warranty/check?serial=wm 90012")
    assert page.locator("[data-testid=warranty-result]").get_attribute("data-state") == "not_activated"
    page.click("[data-testid=activate-link]")
    assert page.input_value("#id_serial") == "wm 90012"
    page.fill("#id_mobile", "۰۹۱۲ ۳۴۵ ۶۷۸۹")
    page.fill("#id_name", "رضا کریمی")
    purchase = _jalali_months_ago(1)
    page.fill("#id_purchase_date", _persian(purchase))  # the Jalali picker opens over the form
    page.screenshot(path=str(ARTIFACTS / "warranty-self-activate.png"), full_page=True)
    page.press("#id_purchase_date", "Enter")
    page.wait_for_selector("[data-testid=activation-code-form]")
    assert "0912•••6789" in page.inner_text("main")
    code = next(sms for sms in MemorySmsBackend.outbox if sms.to == "09123456789").body
    code = next(word for word in code.replace(":", " ").split() if word.isdigit() and len(word) == 5)
    page.fill("#id_code", code)
    page.screenshot(path=str(ARTIFACTS / "warranty-self-activate-code.png"), full_page=True)
    page.click("[data-testid=activation-code-form] button[type=submit]")
    done = page.locator("[data-testid=activation-done]")
    done.wait_for()
    end = _months_after(purchase, 24)
    assert _persian((end[0], end[1], 9)) in done.inner_text()  # 24 months from the 10th: the 9th is the last day
    page.screenshot(path=str(ARTIFACTS / "warranty-self-activate-done.png"), full_page=True)
    card = WarrantyCard.objects.get(unit=unit)
    assert card.channel == WarrantyCard.Channel.CUSTOMER and card.unit.owner.mobile == "09123456789"
    phone.close()
