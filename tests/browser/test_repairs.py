"""One unit from reception to hand-back, by the receptionist and the technician, while the customer
follows it on /track/ from a phone."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def login(browser, live_server, username, password, **context):
    page = browser.new_context(locale="en-US", **context).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def step(page, code):
    page.click(f"button[data-step={code}]")
    page.wait_for_selector("[data-testid=order-state]")


def test_a_unit_goes_from_reception_to_hand_back_and_the_customer_follows_it(
        live_server, browser, password, center_a, warranted_unit, service_item):
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    # A transactional test before this one emptied the tables the migrations filled.
    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    UserFactory(username="bench", role=Role.TECHNICIAN, centers=[center_a])
    UserFactory(username="chief", role=Role.CENTER_MANAGER, centers=[center_a])
    ARTIFACTS.mkdir(exist_ok=True)

    desk = login(browser, live_server, "desk", password)
    desk.goto(f"{live_server.url}/repairs/reception/")
    desk.fill("#id_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    desk.fill("#id_serial", "RF-520-0001")
    desk.wait_for_selector("[data-testid=warranty-preview][data-state=active]")
    desk.fill("#id_description", "یخچال سرد نمی‌کند و صدای کمپرسور زیاد است")
    desk.fill("#id_accessories", "دو قفسه شیشه‌ای")
    desk.screenshot(path=str(ARTIFACTS / "repair-reception.png"), full_page=True)
    desk.click("[data-testid=reception-submit]")
    desk.wait_for_selector("[data-testid=order-state][data-state=received]")
    order = RepairOrder.objects.get()
    assert order.is_warranty and order.customer.mobile == "09121234567"

    desk.click("[data-testid=receipt-link]")
    track_url = desk.locator("[data-testid=receipt-qr]").get_attribute("data-url")
    assert track_url.endswith(f"/track/{order.tracking_code}")
    desk.screenshot(path=str(ARTIFACTS / "repair-receipt.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR", is_mobile=True).new_page()
    phone.goto(track_url)
    assert phone.locator("[data-testid=track-state]").get_attribute("data-state") == "received"

    bench = login(browser, live_server, "bench", password)
    bench.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    step(bench, "start_diagnosis")
    step(bench, "start_repair")
    bench.select_option("select[name=service_item]", str(service_item.pk))
    bench.fill("input[name=minutes]", "45")
    bench.click("[data-testid=operation-add]")
    bench.wait_for_selector("[data-testid=operations] li:has-text('شارژ گاز')")
    step(bench, "to_quality_check")
    assert not bench.locator("button[data-step=quality_passed]").count()  # someone else checks the repair
    chief = login(browser, live_server, "chief", password)
    chief.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    step(chief, "quality_passed")
    assert chief.locator("[data-testid=order-state]").get_attribute("data-state") == "ready"
    chief.screenshot(path=str(ARTIFACTS / "repair-order-ready.png"), full_page=True)

    desk.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    desk.fill("#id_handed_back_to_hand_back", "سارا احمدی، کارت ملی ۰۰۱۲۳۴۵۶۷۸")
    step(desk, "hand_back")
    assert desk.locator("[data-testid=order-state]").get_attribute("data-state") == "delivered"

    phone.reload()
    assert phone.locator("[data-testid=track-state]").get_attribute("data-state") == "delivered"
    assert phone.locator("[data-testid=track-steps] li").count() == 6  # received … delivered
    assert "09121234567" not in phone.content() and "۰۹۱۲۱۲۳۴۵۶۷" not in phone.content()
    phone.screenshot(path=str(ARTIFACTS / "repair-track-phone.png"), full_page=True)
