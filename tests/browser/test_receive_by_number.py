"""A receptionist receives a unit by its warranty-card number (typed in Persian digits with dashes) and
another by its sale invoice number, choosing it among the invoice's three units (issue 20)."""

from pathlib import Path

import pytest

from .test_repairs import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_units_are_received_by_card_number_and_by_invoice_number(live_server, browser, password, center_a,
                                                                 warranted_unit, fridge_model):
    from aftersales.catalog.models import ProductUnit
    from aftersales.core.persian import to_persian_digits
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    invoice = [ProductUnit.objects.create(serial=f"RF-520-02{n}", brand=fridge_model.brand, product_model=fridge_model,
                                          sale_invoice_no="F-1405/300") for n in (1, 2, 3)]
    number = warranted_unit.warranty_cards.get().number
    ARTIFACTS.mkdir(exist_ok=True)

    desk = login(browser, live_server, "desk", password)
    desk.goto(f"{live_server.url}/repairs/reception/")
    desk.fill("#id_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    desk.fill("#id_serial", to_persian_digits(f"{number[:4]}-{number[4:8]}-{number[8:]}"))
    desk.wait_for_selector("[data-testid=warranty-preview][data-state=active]")
    assert "کارت گارانتی" in desk.inner_text("[data-testid=unit-match]")
    desk.fill("#id_description", "یخچال سرد نمی‌کند")
    desk.screenshot(path=str(ARTIFACTS / "reception-by-card-number.png"), full_page=True)
    desk.click("[data-testid=reception-submit]")
    desk.wait_for_selector("[data-testid=order-state][data-state=received]")
    first = RepairOrder.objects.get()
    assert first.unit == warranted_unit and first.is_warranty

    desk.goto(f"{live_server.url}/repairs/reception/")
    desk.fill("#id_mobile", "09121234567")
    desk.fill("#id_serial", "f 1405 300")
    desk.wait_for_selector("[data-testid=unit-choices]")
    assert desk.locator("[data-testid=unit-choice]").count() == 3
    desk.screenshot(path=str(ARTIFACTS / "reception-by-invoice-choices.png"), full_page=True)
    desk.locator("[data-testid=unit-choice]", has_text="۰۲۲").click()
    desk.wait_for_selector("[data-testid=unit-choice].active")
    desk.wait_for_selector("[data-testid=warranty-preview][data-state=not_activated]")
    assert "۰۲۲" in desk.inner_text("[data-testid=unit-match]")
    desk.fill("#id_description", "درب یخچال بسته نمی‌شود")
    desk.screenshot(path=str(ARTIFACTS / "reception-by-invoice-chosen.png"), full_page=True)
    desk.click("[data-testid=reception-submit]")
    desk.wait_for_selector("[data-testid=order-state][data-state=received]")
    second = RepairOrder.objects.exclude(pk=first.pk).get()
    assert second.unit == invoice[1] and not second.is_warranty
