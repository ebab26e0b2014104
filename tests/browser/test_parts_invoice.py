"""A part for one order: the technician requests it, the warehouse keeper issues it from the queue,
the receptionist invoices the order and prints the invoice."""

from pathlib import Path

import pytest

from tests.browser.test_repairs import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_part_is_requested_issued_invoiced_and_the_invoice_printed(
        live_server, browser, password, center_a, owner, compressor_part, stocked, service_item):
    from aftersales.billing.models import Invoice
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import PartLine
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import operation_add, reception_create
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    desk = UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    bench = UserFactory(username="bench", role=Role.TECHNICIAN, centers=[center_a])
    UserFactory(username="store", role=Role.WAREHOUSE_KEEPER, centers=[center_a])
    order = reception_create(center=center_a, customer=owner, acting_user=desk, serial="OLD-FRIDGE-9",
                             description="کمپرسور کار نمی‌کند")
    operation_add(order=order, acting_user=bench, service_item=service_item, minutes=60)
    ARTIFACTS.mkdir(exist_ok=True)

    technician = login(browser, live_server, "bench", password)
    technician.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    technician.select_option("select[name=spare_part]", str(compressor_part.pk))
    technician.fill("form[action$='/parts/'] input[name=quantity]", "۱")
    technician.click("form[action$='/parts/'] button[type=submit]")
    technician.wait_for_selector("[data-testid=part-lines] tr[data-part=CMP520]")
    line = PartLine.objects.get()

    keeper = login(browser, live_server, "store", password)
    keeper.goto(f"{live_server.url}/repairs/parts/")
    row = keeper.locator("[data-testid=parts-queue] tr[data-part=CMP520]")
    row.locator("select").select_option(str(stocked.pk))
    keeper.screenshot(path=str(ARTIFACTS / "parts-queue.png"), full_page=True)
    row.locator("[data-testid=queue-issue] button").click()
    keeper.wait_for_selector("[data-testid=parts-queue] tr[data-part=CMP520]", state="detached")
    line.refresh_from_db()
    assert line.status == PartLine.Status.ISSUED and line.unit_price == 18_000_000 and line.is_warranty is False

    cashier = login(browser, live_server, "desk", password)
    cashier.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    cashier.click("[data-testid=invoice-link]")
    cashier.wait_for_selector("[data-testid=invoice-lines]")
    cashier.fill("#id_transport", "۵۰۰٬۰۰۰")
    cashier.click("[data-testid=invoice-issue] button[name=issue]")
    cashier.wait_for_selector("[data-testid=invoice-words]")
    invoice = Invoice.objects.get()
    assert invoice.total == (2_500_000 + 18_000_000 + 500_000) * 110 // 100
    cashier.screenshot(path=str(ARTIFACTS / "invoice.png"), full_page=True)
    pdf = cashier.request.get(f"{live_server.url}/billing/{invoice.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "invoice.pdf").write_bytes(pdf.body())
