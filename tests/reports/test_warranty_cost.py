"""warranty-cost: claimed, approved, rejected and pending per model, claims and orders, per thousand units
sold; credited and earlier claims left out; a center manager sees only their center's claims; the
accountant may open it; the Excel opens with Persian headers."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.models import Invoice
from aftersales.billing.services import claim_review, invoice_credit, warranty_invoice_issue
from aftersales.catalog.models import ProductModel, ProductUnit
from aftersales.organization.roles import Role
from aftersales.repairs.parts import part_issue
from aftersales.repairs.services import operation_add, part_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # Azar 1405 runs from 2026-11-22 to 2026-12-21
PERIOD = {"from": "1405/09/01", "to": "1405/09/30"}


@pytest.fixture
def claims_data(today_is, fridge_model, receive, center_a, center_b, reception_a, reception_b, technician_a,
                head_office, service_item, stocked, compressor_part, keeper_a):
    """Warranty invoices (lines before VAT: gas charge labour 2,500,000, compressor 18,000,000):

    center A, in the period:
      W1 fridge F1: labour 2,500,000 adjusted to 2,000,000, compressor 18,000,000 approved
      W2 fridge F2: labour 2,500,000, not decided yet
      W3 washer S1: labour 2,500,000 rejected
      W4 fridge F3: labour 2,500,000, cancelled by a credit note → left out
      W5 fridge F4: labour 2,500,000, issued 1405-07-09 (2026-10-01), before the period → left out
    center B, in the period:
      W6 fridge F5: labour 2,500,000 approved
    Units sold: fridges F1–F5 (5) and washers S1, S2 (2); the unsold fridge F6 does not count.
    """
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

    today_is(TODAY)
    washer = ProductModel.objects.create(code="W-700", name="لباسشویی ۷۰۰", brand=fridge_model.brand,
                                         group=fridge_model.group)
    policy = WarrantyPolicy.objects.create(code="all-18", name="۱۸ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=18)
    for model in (fridge_model, washer):
        ModelWarranty.objects.create(product_model=model, policy=policy)

    def unit(serial, model, sold=True):
        found = ProductUnit.objects.create(serial=serial, brand=model.brand, product_model=model,
                                           sale_date=TODAY - datetime.timedelta(days=60) if sold else None)
        if sold:
            card = warranty_card_issue(unit=found)
            warranty_card_activate(number=card.number, purchase_date=found.sale_date, channel="staff")
        return found

    def claim(serial, model, *, compressor=False, center=center_a, reception=reception_a):
        order = receive(unit=unit(serial, model), center=center, acting_user=reception)
        assert order.is_warranty
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
        if compressor:
            line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
            part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
        return warranty_invoice_issue(center=center, orders=[order], acting_user=reception)

    w1 = claim("F1", fridge_model, compressor=True)
    claim("F2", fridge_model)
    w3 = claim("S1", washer)
    w4 = claim("F3", fridge_model)
    w5 = claim("F4", fridge_model)
    w6 = claim("F5", fridge_model, center=center_b, reception=reception_b)
    unit("S2", washer), unit("F6", fridge_model, sold=False)

    labour, part = w1.lines.get(kind="labour"), w1.lines.get(kind="part")
    claim_review(claim=w1.claim, acting_user=head_office, decisions={
        labour.pk: {"decision": "adjusted", "amount": 2_000_000, "reason": "نرخ مصوب"},
        part.pk: {"decision": "approved"}})
    claim_review(claim=w3.claim, acting_user=head_office, decisions={
        w3.lines.get().pk: {"decision": "rejected", "reason": "خارج از شرایط گارانتی"}})
    claim_review(claim=w6.claim, acting_user=head_office, decisions={w6.lines.get().pk: {"decision": "approved"}})
    invoice_credit(invoice=w4, reason="صدور اشتباه", acting_user=reception_a)
    Invoice.objects.filter(pk=w5.pk).update(issued_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 10)))
    return {"fridge": fridge_model, "washer": washer}


def run(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get(reverse("api-report", args=["warranty-cost"]), {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


KEYS = ("claimed", "approved", "rejected", "pending", "claims", "orders", "sold", "per_thousand")


def test_claims_are_split_into_approved_rejected_and_pending_per_model(api_client, manager_a, claims_data):
    body = run(api_client, manager_a)
    [table] = body["tables"]
    # Fridge: W1 20,500,000 + W2 2,500,000 = 23,000,000 claimed; approved 2,000,000 + 18,000,000; rejected
    # the 500,000 cut; pending W2; 2 claims, 2 orders; 5 sold → 23,000,000 × 1,000 / 5 = 4,600,000,000.
    # Washer: W3 2,500,000 rejected; 2 sold → 1,250,000,000 per thousand.
    assert [row["model"] for row in table["rows"]] == [str(claims_data["fridge"]), str(claims_data["washer"])]
    assert [[row[key] for key in KEYS] for row in table["rows"]] == [
        [23_000_000, 20_000_000, 500_000, 2_500_000, 2, 2, 5, 4_600_000_000],
        [2_500_000, 0, 2_500_000, 0, 1, 1, 2, 1_250_000_000]]
    # Total: 25,500,000 over 7 units sold → 3,642,857,142.86 → 3,642,857,143 rials per thousand.
    assert [table["total"][key] for key in KEYS] == [25_500_000, 20_000_000, 3_000_000, 2_500_000, 3, 3, 7,
                                                     3_642_857_143]
    chart = body["chart"]
    assert chart["labels"] == [str(claims_data["fridge"]), str(claims_data["washer"])]
    assert [series["data"] for series in chart["series"]] == [[20_000_000, 0], [500_000, 2_500_000]]


def test_a_center_manager_never_sees_another_centers_claims(api_client, manager_a, manager_b, head_office,
                                                            claims_data):
    [table] = run(api_client, manager_b)["tables"]
    assert [[row[key] for key in KEYS[:6]] for row in table["rows"]] == [[2_500_000, 2_500_000, 0, 0, 1, 1]]
    [table] = run(api_client, head_office)["tables"]
    assert table["total"]["claimed"] == 28_000_000  # center A's 25,500,000 and center B's 2,500,000
    assert table["rows"][0]["approved"] == 22_500_000


def test_the_model_filter_keeps_that_models_lines(api_client, manager_a, claims_data):
    [table] = run(api_client, manager_a, model=claims_data["washer"].pk)["tables"]
    assert [row["claimed"] for row in table["rows"]] == [2_500_000] and table["total"]["claimed"] == 2_500_000


def test_the_accountant_may_open_it_but_not_the_failure_report(api_client, claims_data):
    accountant = UserFactory(username="accountant", role=Role.ACCOUNTANT)
    api_client.force_authenticate(accountant)
    assert api_client.get(reverse("api-report", args=["warranty-cost"]), PERIOD).status_code == 200
    assert api_client.get(reverse("api-report", args=["failure-causes"]), PERIOD).status_code == 404


def test_the_excel_opens_with_persian_headers(api_client, manager_a, claims_data):
    api_client.force_authenticate(manager_a)
    response = api_client.get(reverse("api-report", args=["warranty-cost"]), {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]][:5] == [
        "مدل کالا", "مبلغ ادعاشده (ریال)", "تأییدشده (ریال)", "ردشده (ریال)", "در انتظار بررسی (ریال)"]
    assert sheet.sheet_view.rightToLeft
    assert [cell.value for cell in sheet[2]][1:3] == [23_000_000, 20_000_000]


def test_the_page_opens_with_the_chart_linking_to_each_models_orders(login, manager_a, claims_data):
    page = login(manager_a).get(reverse("reports:detail", args=["warranty-cost"]), PERIOD)
    assert page.status_code == 200
    text = page.content.decode()
    assert "هزینهٔ گارانتی" in text and f"model={claims_data['fridge'].pk}" in text


def test_an_empty_period_gives_an_empty_table(api_client, manager_a):
    [table] = run(api_client, manager_a)["tables"]
    assert table["rows"] == [] and table["total"]["claimed"] == 0 and table["total"]["per_thousand"] is None
