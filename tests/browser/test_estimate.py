"""The technician puts an estimate of lines on the order page; the customer reads the lines, VAT and total
on their phone and approves (issue 13)."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_an_estimate_of_lines_reaches_the_customers_phone(live_server, browser, password, center_a, fridge_model,
                                                          service_item, settings):
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import order_transition, reception_create
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    settings.BILLING_VAT_PERCENT = 10
    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    desk = UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    bench = UserFactory(username="bench", role=Role.TECHNICIAN, centers=[center_a])
    order = reception_create(center=center_a, customer_mobile="09121234567", customer_name="سارا احمدی",
                             acting_user=desk, serial="NW-77", product_model=fridge_model, description="سرد نمی‌کند")
    order_transition(order=order, code="start_diagnosis", acting_user=bench)
    ARTIFACTS.mkdir(exist_ok=True)

    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "bench")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    page.select_option("#id_line-0-item", f"service:{service_item.pk}")
    page.select_option("#id_line-1-kind", "other")
    page.fill("#id_line-1-description", "ایاب و ذهاب")
    page.fill("#id_line-1-unit_price", "۵۰۰٬۰۰۰")
    page.click("[data-testid=estimate-save]")
    page.wait_for_selector("[data-testid=estimate-lines]")
    page.screenshot(path=str(ARTIFACTS / "estimate-order-page.png"), full_page=True)
    assert RepairOrder.objects.get(pk=order.pk).estimate_amount == 3_300_000  # (2,500,000 + 500,000) + 10 % VAT

    phone = browser.new_context(locale="fa-IR", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server.url}/track/{order.tracking_code}")
    lines = phone.locator("[data-testid=track-estimate-lines]")
    assert "شارژ گاز" in lines.inner_text() and "ایاب و ذهاب" in lines.inner_text()
    assert "۳٬۳۰۰٬۰۰۰ ریال" in lines.inner_text() and "۳۳۰٬۰۰۰ تومان" in lines.inner_text()
    phone.screenshot(path=str(ARTIFACTS / "estimate-track-phone.png"), full_page=True)
    phone.click("[data-testid=estimate-approve]")
    phone.wait_for_selector("[data-testid=track-estimate-detail]")
    assert RepairOrder.objects.get(pk=order.pk).estimate_approved_amount == 3_300_000
