"""services (F39, F40) on a data set worked out by hand (Aban 1405 = 2026-10-23 … 2026-11-21).

Services: GAS «شارژ گاز» (labour 2,500,000, in-center) and THERM «تعویض ترموستات» (labour 1,000,000, home).
Center A (TEH01), technician_a:
  order 1  warranty unit: GAS 45 min on 08/05
  order 2  paid: GAS 45 min and THERM 60 min on 08/06; invoiced on 08/07 (GAS 2,500,000 + THERM 1,000,000),
           the invoice credited on 08/08 (−2,500,000 − 1,000,000) and invoiced again on 08/09 → nets
           2,500,000 + 1,000,000
  order 3  paid: GAS 15 min on 07/20 (Mehr: outside the period)
  → GAS: 2 times (1 warranty, 1 paid), 90 min = 1.5 h, 2,500,000; THERM: 1 time (paid), 1.0 h, 1,000,000;
    total 3 times, 1 warranty, 2 paid, 2.5 h, 3,500,000
Center B (ISF01), technician_b: order 4 paid: GAS 30 min on 08/10 → the network's GAS is 3 times, 2.0 h.
"""

import pytest

from aftersales.catalog.models import ServiceItem, ServiceType
from aftersales.organization.roles import Role
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import operation_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ABAN = {"from": "1405/08/01", "to": "1405/08/30"}


@pytest.fixture
def aban(request, at, receive, service_item, technician_a, reception_a, center_b, reception_b):
    from aftersales.billing.services import invoice_credit, invoice_issue

    thermostat = ServiceItem.objects.create(code="THERM", title="تعویض ترموستات", labour_price=1_000_000,
                                            service_type=ServiceType.HOME, product_group=service_item.product_group)
    technician_b = UserFactory(username="technician_b", role=Role.TECHNICIAN, centers=[center_b])
    with at("1405/07/01 09:00"):
        warranted_unit = request.getfixturevalue("warranted_unit")
    with at("1405/07/20 10:00"):
        order3 = receive(serial="OLD-3")
        operation_add(order=order3, acting_user=technician_a, service_item=service_item, minutes=15)
    with at("1405/08/05 10:00"):
        order1 = receive(unit=warranted_unit)
        operation_add(order=order1, acting_user=technician_a, service_item=service_item, minutes=45)
    with at("1405/08/06 10:00"):
        order2 = receive(serial="PAID-2")
        operation_add(order=order2, acting_user=technician_a, service_item=service_item, minutes=45)
        operation_add(order=order2, acting_user=technician_a, service_item=thermostat, minutes=60)
    with at("1405/08/07 10:00"):
        first = invoice_issue(orders=[RepairOrder.objects.get(pk=order2.pk)], acting_user=reception_a)
    with at("1405/08/08 10:00"):
        invoice_credit(invoice=first, reason="مبلغ اشتباه", acting_user=reception_a)
    with at("1405/08/09 10:00"):
        invoice_issue(orders=[RepairOrder.objects.get(pk=order2.pk)], acting_user=reception_a)
    with at("1405/08/10 10:00"):
        order4 = receive(serial="B-4", center=center_b, acting_user=reception_b)
        operation_add(order=order4, acting_user=technician_b, service_item=service_item, minutes=30)
    assert order1.is_warranty and not order2.is_warranty
    return {"gas": service_item, "thermostat": thermostat, "orders": (order1, order2, order3, order4)}


def report(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/services/", {**ABAN, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_month_of_services_gives_the_counts_hours_and_net_amounts_worked_out_by_hand(api_client, aban, manager_a):
    [table] = report(api_client, manager_a)["tables"]
    rows = [(r["code"], r["service"], r["count"], r["warranty"], r["paid"], r["hours"], r["invoiced"])
            for r in table["rows"]]
    assert rows == [("GAS", "شارژ گاز", 2, 1, 1, 1.5, 2_500_000), ("THERM", "تعویض ترموستات", 1, 0, 1, 1.0, 1_000_000)]
    assert table["rows"][1]["service_type"] == "خدمات در منزل"
    total = table["total"]
    assert (total["count"], total["warranty"], total["paid"], total["hours"], total["invoiced"]) == (3, 1, 2, 2.5,
                                                                                                     3_500_000)


def test_a_center_manager_never_sees_another_centers_services_and_head_office_sees_both(api_client, aban, manager_a,
                                                                                       head_office, center_b):
    mine = report(api_client, manager_a)
    assert [r["count"] for r in mine["tables"][0]["rows"]] == [2, 1]  # order 4 at center B is not among them
    network = report(api_client, head_office)["tables"][0]
    assert [(r["code"], r["count"], r["hours"]) for r in network["rows"]] == [("GAS", 3, 2.0), ("THERM", 1, 1.0)]
    api_client.force_authenticate(manager_a)
    refused = api_client.get("/api/reports/services/", {**ABAN, "center": center_b.pk})
    assert refused.status_code == 400 and "center" in refused.json()


def test_grouped_by_warranty_each_service_is_counted_on_its_side(api_client, aban, manager_a):
    table = report(api_client, manager_a, group_by="warranty")["tables"][0]
    assert table["columns"][0] == {"key": "group", "label": "گارانتی یا آزاد", "kind": "text"}
    rows = sorted((r["group"], r["code"], r["count"], r["hours"]) for r in table["rows"])
    assert rows == sorted([("غیرگارانتی (آزاد)", "GAS", 1, 0.8), ("غیرگارانتی (آزاد)", "THERM", 1, 1.0),
                           ("دارای گارانتی فعال", "GAS", 1, 0.8)])
    assert table["total"]["count"] == 3


def test_grouped_by_center_head_office_sees_each_centers_services_apart(api_client, aban, head_office):
    table = report(api_client, head_office, group_by="center")["tables"][0]
    rows = sorted((r["group"], r["code"], r["count"]) for r in table["rows"])
    assert rows == sorted([("مرکز خدمات تهران", "GAS", 2), ("مرکز خدمات تهران", "THERM", 1),
                           ("مرکز خدمات اصفهان", "GAS", 1)])


def test_the_filters_narrow_the_operations(api_client, aban, manager_a, technician_a):
    warranty_only = report(api_client, manager_a, warranty="yes")["tables"][0]
    assert [(r["code"], r["count"]) for r in warranty_only["rows"]] == [("GAS", 1)]
    home = report(api_client, manager_a, kind="home")["tables"][0]  # every order here is an in-center repair
    assert home["rows"] == [] and home["total"]["count"] == 0
    assert report(api_client, manager_a, technician=technician_a.pk)["tables"][0]["total"]["count"] == 3


def test_the_chart_bar_of_a_service_opens_the_orders_that_had_it(client, aban, manager_a):
    order1, order2, _order3, _order4 = aban["orders"]
    client.force_login(manager_a)
    page = client.get("/reports/services/", ABAN)
    assert page.status_code == 200
    links = page.context["chart_data"]["links"]
    assert page.context["chart_data"]["labels"] == ["شارژ گاز", "تعویض ترموستات"]
    listed = client.get(links[1])  # THERM: order 2 only
    assert listed.status_code == 200
    assert [order.pk for order in listed.context["orders"]] == [order2.pk]
    listed = client.get(links[0])
    assert sorted(order.pk for order in listed.context["orders"]) == sorted([order1.pk, order2.pk])


def test_the_excel_file_has_the_persian_headers_and_the_numbers(api_client, aban, manager_a):
    import io

    from openpyxl import load_workbook

    api_client.force_authenticate(manager_a)
    response = api_client.get("/api/reports/services/", {**ABAN, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    header, gas = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    assert header[:4] == ["کد خدمت", "خدمت", "نوع خدمت", "دفعات انجام"]
    assert gas[0] == "GAS" and gas[3] == 2 and gas[-1] == 2_500_000
