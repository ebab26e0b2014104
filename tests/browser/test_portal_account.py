"""The customer's account pages on a 360 px phone (issue 22): sign in with the texted code, register a purchase with
the Jalali picker and the invoice's photo, file a complaint, read the messages and switch advertising SMS off;
no page scrolls sideways. Screenshots go to test-artifacts/."""

import datetime
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shot(page, name: str) -> None:
    assert fits(page), f"{name} scrolls sideways at 360 px"
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}-360.png"), full_page=True)


def test_a_customer_registers_a_purchase_complains_and_reads_messages_on_a_phone(
        live_server, browser, owner, fridge_model, sms_outbox, tmp_path):
    from django.utils import timezone
    from PIL import Image

    from aftersales.catalog.models import ProductUnit
    from aftersales.core import jalali
    from aftersales.core.persian import to_ascii_digits
    from aftersales.messaging.models import EventRule, MessageTemplate, OptOut
    from aftersales.messaging.reference import load_default_templates
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, PurchaseProof, WarrantyCard, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_issue

    load_default_templates(MessageTemplate, EventRule)
    policy = WarrantyPolicy.objects.create(code="fridge-18", name="۱۸ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=18)
    ModelWarranty.objects.create(product_model=fridge_model, policy=policy)
    unit = ProductUnit.objects.create(serial="RF-520-0777", brand=fridge_model.brand, product_model=fridge_model)
    warranty_card_issue(unit=unit)
    photo = tmp_path / "invoice.jpg"
    Image.new("RGB", (600, 800), (240, 240, 230)).save(photo, format="JPEG")
    ARTIFACTS.mkdir(exist_ok=True)

    page = browser.new_context(locale="fa-IR", **PHONE).new_page()
    page.goto(f"{live_server.url}/portal/")
    page.fill("#id_mobile", owner.mobile)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=portal-code]")
    code = re.search(r"(?<!\d)\d{5}(?!\d)", sms_outbox[-1].body).group()
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=portal-account-links]")
    _shot(page, "home")

    page.click("[data-testid=portal-account-links] >> text=ثبت خرید")
    page.wait_for_selector("[data-testid=portal-unit-register]")
    page.fill("#id_serial", "RF-520-0777")
    page.click("#id_purchase_date")
    page.wait_for_selector("jdp-container .jdp-day", state="visible")  # the product's Jalali calendar
    _shot(page, "register-picker")
    page.click('.jdp-day:not(.not-in-month):text-is("۱")')  # the first of this month: never in the future
    page.locator("jdp-container").wait_for(state="hidden")
    first = jalali.format_date(timezone.localdate(), latin_digits=True)[:8] + "01"
    assert to_ascii_digits(page.input_value("#id_purchase_date")) == first
    page.set_input_files("#id_invoice_photo", str(photo))
    _shot(page, "register")
    # The picker's calendar may open again over the button when the file chooser hands focus back: the tap
    # goes to the button itself.
    page.locator("[data-testid=portal-unit-register] button[type=submit]").dispatch_event("click")
    page.wait_for_selector("[data-testid=portal-warranty][data-state=active]")
    _shot(page, "registered-unit")
    card = WarrantyCard.objects.get(unit=unit)
    assert card.status == "active" and ProductUnit.objects.get(pk=unit.pk).owner_id == owner.pk
    assert PurchaseProof.objects.filter(unit=unit).exists()

    page.goto(f"{live_server.url}/portal/complaints/new/")
    page.select_option("#id_about", f"unit:{unit.pk}")
    page.fill("#id_subject", "صدای زیاد")
    page.fill("#id_text", "یخچال از روز اول صدای زیادی دارد.")
    _shot(page, "complaint-new")
    page.click("[data-testid=portal-complaint-form] button[type=submit]")
    page.wait_for_selector("[data-testid=portal-complaint]")
    _shot(page, "complaints")

    page.click("[data-testid=portal-bar-messages]")
    page.wait_for_selector("[data-testid=portal-message][data-code='1']")
    shown = to_ascii_digits(page.inner_text("main"))
    assert code not in shown and "RF-520-0777" in shown  # the code is not shown; the activation's SMS is
    _shot(page, "messages")

    page.click("[data-testid=portal-bar-me]")
    page.wait_for_selector("[data-testid=portal-opt-out][data-opted-out='0']")
    page.check("#id_opt_out")
    page.click("[data-testid=portal-opt-out] button[type=submit]")
    page.wait_for_selector("[data-testid=portal-opt-out][data-opted-out='1']")
    assert OptOut.objects.filter(address=owner.mobile).exists()
    page.evaluate("document.querySelector('[data-testid=portal-address-form]').closest('details').open = true")
    _shot(page, "me")


def test_a_customer_pages_through_many_repairs_and_meets_the_portals_not_found_page_on_a_phone(
        live_server, browser, owner, fridge_model, receive, sms_outbox):
    from aftersales.catalog.models import ProductUnit
    from aftersales.customers.models import Customer
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition, Workflow

    load_default_templates(MessageTemplate, EventRule)
    load_repair_workflow(Workflow, State, Transition)  # a transactional test starts from empty tables
    unit = ProductUnit.objects.create(serial="RF-520-0900", brand=fridge_model.brand, product_model=fridge_model,
                                      owner=owner)
    orders = [receive(unit=unit, description=f"تعمیر شماره {index}") for index in range(24)]
    final = State.objects.filter(workflow=orders[0].state.workflow, is_final=True).first()
    RepairOrder.objects.filter(pk__in=[order.pk for order in orders[2:]]).update(state=final)
    other = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")
    theirs = ProductUnit.objects.create(serial="RF-520-0901", brand=fridge_model.brand, product_model=fridge_model,
                                        owner=other)
    ARTIFACTS.mkdir(exist_ok=True)

    page = browser.new_context(locale="fa-IR", **PHONE).new_page()
    page.goto(f"{live_server.url}/portal/")
    page.fill("#id_mobile", owner.mobile)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=portal-code]")
    page.fill("#id_code", re.search(r"(?<!\d)\d{5}(?!\d)", sms_outbox[-1].body).group())
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=portal-account-links]")

    page.click("[data-testid=portal-bar] >> text=تعمیرات من")
    page.wait_for_selector("[data-testid=portal-repairs-pager]")
    assert page.locator("[data-testid=portal-order]").count() == 20
    assert page.locator("[data-testid=portal-order]").first.get_attribute("data-state") != final.code  # open first
    assert "صفحه ۱ از ۲" in page.inner_text("[data-testid=portal-repairs-pager]")
    _shot(page, "repairs-paged")
    page.click("[data-testid=portal-repairs-pager] >> text=بعدی")
    page.wait_for_url("**/portal/repairs/?page=2")
    assert page.locator("[data-testid=portal-order]").count() == 4
    assert "صفحه ۲ از ۲" in page.inner_text("[data-testid=portal-repairs-pager]")
    _shot(page, "repairs-page-2")

    response = page.goto(f"{live_server.url}/portal/units/{theirs.pk}/")
    assert response.status == 404
    page.wait_for_selector("[data-testid=portal-not-found]")
    assert "RF-520-0901" not in page.content() and page.locator("[data-testid=portal-bar]").count() == 1
    _shot(page, "not-found")
    page.click("[data-testid=portal-not-found-home]")
    page.wait_for_selector("[data-testid=portal-account-links]")
