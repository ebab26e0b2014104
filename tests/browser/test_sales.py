"""Sales in the browser (issue 17): the accountant issues a proforma to an agent's shop, turns it into an
invoice, receives a cheque for it; the head-office manager calculates the month's commission, approves the
agent's statement and prints it (the PDF rendered to an image to look at)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.test_repairs import login
from tests.sales.conftest import FRIDGE_PRICE, buyer, price_list, washer_model  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SAYAD = "1234567890123456"


def test_a_proforma_becomes_an_invoice_paid_by_cheque_and_the_agents_commission_is_printed(
        live_server, browser, password, center_a, buyer, price_list):  # noqa: F811
    import pypdfium2
    from django.utils import timezone

    from aftersales.core.jalali import to_jalali
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.sales.models import Cheque, CommissionStatement, Receipt, SalesDocument
    from aftersales.sales.services_commission import agent_create, commission_rule_save
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="cashier", role=Role.ACCOUNTANT, centers=[center_a], first_name="مینا", last_name="صالحی")
    head = UserFactory(username="head", role=Role.HEAD_OFFICE_MANAGER, centers=[center_a])
    today = timezone.localdate()
    agent_create(customer=buyer, center=center_a, code="AG-TEH-1", acting_user=head)
    commission_rule_save(kind="own", level=1, product_group=None, tier_from=0, rate=Decimal("2.5"),
                         valid_from=today - datetime.timedelta(days=60), valid_to=None, acting_user=head)
    ARTIFACTS.mkdir(exist_ok=True)

    # The accountant issues a proforma of two fridges with a discount on the line.
    page = login(browser, live_server, "cashier", password)
    page.goto(f"{live_server.url}/sales/proformas/new/?customer={buyer.pk}")
    page.select_option("select[name=lines-0-product_model]", str(price_list["fridge"].pk))
    page.fill("input[name=lines-0-quantity]", "۲")
    page.fill("input[name=lines-0-discount]", "۱۰٬۰۰۰٬۰۰۰")
    page.screenshot(path=str(ARTIFACTS / "sales-proforma-form.png"), full_page=True)
    page.click("[data-testid=document-form] button[type=submit]")
    page.wait_for_selector("[data-testid=to-invoice]")
    proforma = SalesDocument.objects.get(kind="proforma")
    net = 2 * FRIDGE_PRICE - 10_000_000
    assert proforma.subtotal == net and proforma.total == net + proforma.vat and proforma.vat > 0
    assert "۲۹۰٬۰۰۰٬۰۰۰" in page.inner_text("main")  # the lines' net amount in Persian digits
    page.screenshot(path=str(ARTIFACTS / "sales-proforma.png"), full_page=True)

    # One step turns it into an invoice with the same lines; the agent is kept on the invoice.
    page.click("[data-testid=to-invoice] button")
    page.wait_for_selector("[data-testid=receive-cheque]")
    invoice = SalesDocument.objects.get(kind="invoice")
    assert invoice.proforma_id == proforma.pk and invoice.total == proforma.total
    assert invoice.agent.code == "AG-TEH-1"
    assert "فاکتور فروش" in page.inner_text("h1")

    # A cheque for what the invoice owes, from the invoice's page (party, office and amount filled in).
    page.click("[data-testid=receive-cheque]")
    page.wait_for_selector("[data-testid=cheque-form]")
    page.fill("input[name=sayad_number]", "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶")
    page.fill("input[name=bank]", "بانک ملت")
    due = to_jalali(today + datetime.timedelta(days=30))
    page.fill("input[name=due_date]", f"{due.year}/{due.month:02d}/{due.day:02d}")
    page.screenshot(path=str(ARTIFACTS / "sales-cheque-form.png"), full_page=True)
    page.click("[data-testid=cheque-save]")
    page.wait_for_url("**/sales/cheques/*/")
    cheque = Cheque.objects.get()
    assert cheque.sayad_number == SAYAD and cheque.state == "received" and cheque.amount == invoice.total
    receipt = Receipt.objects.get()
    assert receipt.document_id == invoice.pk and receipt.method == "cheque" and receipt.amount == invoice.total
    page.goto(f"{live_server.url}/sales/documents/{invoice.pk}/")
    assert page.inner_text("[data-testid=owed]").strip().startswith("۰")
    page.screenshot(path=str(ARTIFACTS / "sales-invoice-paid.png"), full_page=True)

    # Head office calculates this month's commission, approves the agent's statement and prints it.
    month = to_jalali(today)
    manager = login(browser, live_server, "head", password)
    manager.goto(f"{live_server.url}/sales/commission/?year={month.year}&month={month.month}")
    manager.click("[data-testid=commission-calculate]")
    manager.wait_for_selector("[data-testid=commission-statements] tr[data-agent=AG-TEH-1]")
    statement = CommissionStatement.objects.get()
    assert statement.sales == net and statement.total == net * 25 // 1000
    manager.click("[data-testid=commission-statements] tr[data-agent=AG-TEH-1] a")
    manager.wait_for_selector("[data-testid=statement-total]")
    manager.click("[data-testid=statement-approve]")
    manager.wait_for_selector("[data-testid=statement-pdf]")
    statement.refresh_from_db()
    assert statement.status == CommissionStatement.Status.APPROVED
    manager.screenshot(path=str(ARTIFACTS / "sales-commission-statement.png"), full_page=True)
    response = manager.request.get(live_server.url + manager.get_attribute("[data-testid=statement-pdf]", "href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "sales-commission-statement.pdf").write_bytes(response.body())
    pdf = pypdfium2.PdfDocument(response.body())
    pdf[0].render(scale=1.5).to_pil().save(ARTIFACTS / "sales-commission-statement-pdf.png")
    text = pdf[0].get_textpage().get_text_range()
    assert "AG-TEH-1" in text and "۷٬۲۵۰٬۰۰۰" in text  # 2.5% of 290,000,000 rials, in Persian digits
