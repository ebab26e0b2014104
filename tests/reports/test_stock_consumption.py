"""stock-consumption on a data set worked out by hand: Mehr and Aban 1405 (2026-09-23 … 2026-11-21).

Center A's warehouse:
  compressor CMP520:  5 received on 06/01 at 12,000,000; 1 issued to order 1 on 07/18; 3 issued to order 2
                      on 08/05, 1 of them returned on 08/06 → 2 in stock, minimum 3 → short; order 3 asks
                      for 2 more (not issued yet)
  thermostat TH1:     10 received on 06/01 at 1,000,000, never issued, minimum 10 → short (at its minimum)
                      and a slow mover (no outgoing move at all), worth 10,000,000
  fan FAN1:           4 received on 02/01 at 500,000, 1 issued on 02/09 (207 days before the period's end
                      on 08/30) → a slow mover, 3 in stock worth 1,500,000, last out 1405/02/09
  → Mehr: issued 1, returned 0, consumed 1, 12,000,000; Aban: issued 3, returned 1, consumed 2, 24,000,000;
    the whole period: 4, 1, 3, 36,000,000; autumn (one season): the same 3 and 36,000,000
Center B's warehouse: compressor 2 received, 1 issued on 08/07 (its order asks for 4 more); thermostat 2
received, never issued (a slow mover only head office sees) → head office's Aban: issued 4, 36,000,000.
"""

import pytest

from aftersales.catalog.models import SparePart
from aftersales.organization.roles import Role
from aftersales.repairs.parts import part_issue, part_return
from aftersales.repairs.services import part_request
from aftersales.stock.models import Warehouse
from aftersales.stock.services import stock_issue, stock_minimum_set, stock_receive
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PERIOD = {"from": "1405/07/01", "to": "1405/08/30"}


@pytest.fixture
def stock(at, receive, center_a, center_b, reception_b, warehouse_a, compressor_part, keeper_a, technician_a):
    keeper_b = UserFactory(username="keeper_b", role=Role.WAREHOUSE_KEEPER, centers=[center_b])
    warehouse_b = Warehouse.objects.create(center=center_b, code="main", name="انبار مرکزی اصفهان")
    thermostat = SparePart.objects.create(code="TH1", name="ترموستات", price=1_500_000)
    fan = SparePart.objects.create(code="FAN1", name="فن کندانسور", price=800_000)
    with at("1405/02/01 10:00"):
        stock_receive(warehouse=warehouse_a, spare_part=fan, quantity=4, unit_cost=500_000, acting_user=keeper_a)
    with at("1405/02/09 10:00"):
        stock_issue(warehouse=warehouse_a, spare_part=fan, quantity=1, acting_user=keeper_a, reference="FIX-1")
    with at("1405/06/01 10:00"):
        stock_receive(warehouse=warehouse_a, spare_part=compressor_part, quantity=5, unit_cost=12_000_000,
                      acting_user=keeper_a)
        stock_receive(warehouse=warehouse_a, spare_part=thermostat, quantity=10, unit_cost=1_000_000,
                      acting_user=keeper_a)
        stock_receive(warehouse=warehouse_b, spare_part=compressor_part, quantity=2, unit_cost=12_000_000,
                      acting_user=keeper_b)
        stock_receive(warehouse=warehouse_b, spare_part=thermostat, quantity=2, unit_cost=1_000_000,
                      acting_user=keeper_b)
    with at("1405/07/18 10:00"):
        order1 = receive(serial="P-1")
        line = part_request(order=order1, acting_user=technician_a, spare_part=compressor_part, quantity=1)
        part_issue(line=line, warehouse=warehouse_a, quantity=1, acting_user=keeper_a)
    with at("1405/08/05 10:00"):
        order2 = receive(serial="P-2")
        line = part_request(order=order2, acting_user=technician_a, spare_part=compressor_part, quantity=3)
        line = part_issue(line=line, warehouse=warehouse_a, quantity=3, acting_user=keeper_a)
    with at("1405/08/06 10:00"):
        part_return(line=line, quantity=1, acting_user=keeper_a)
    with at("1405/08/07 10:00"):
        stock_issue(warehouse=warehouse_b, spare_part=compressor_part, quantity=1, acting_user=keeper_b,
                    reference="B-1")
    with at("1405/08/10 10:00"):
        order3 = receive(serial="P-3")
        part_request(order=order3, acting_user=technician_a, spare_part=compressor_part, quantity=2)
        order_b = receive(serial="B-2", center=center_b, acting_user=reception_b)
        part_request(order=order_b, acting_user=technician_a, spare_part=compressor_part, quantity=4)
    stock_minimum_set(warehouse=warehouse_a, spare_part=compressor_part, minimum=3, acting_user=keeper_a)
    stock_minimum_set(warehouse=warehouse_a, spare_part=thermostat, minimum=10, acting_user=keeper_a)
    return {"orders": (order1, order2, order3), "compressor": compressor_part}


def report(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/stock-consumption/", {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return {table["key"]: table for table in response.json()["tables"]}


def test_parts_consumed_per_jalali_month_are_issues_less_returns_worked_out_by_hand(api_client, stock, manager_a):
    consumption = report(api_client, manager_a)["consumption"]
    assert [(r["period"], r["issued"], r["returned"], r["quantity"], r["value"]) for r in consumption["rows"]] == [
        ("مهر ۱۴۰۵", 1, 0, 1, 12_000_000), ("آبان ۱۴۰۵", 3, 1, 2, 24_000_000)]
    total = consumption["total"]
    assert (total["issued"], total["returned"], total["quantity"], total["value"]) == (4, 1, 3, 36_000_000)
    [autumn] = report(api_client, manager_a, group_by="season")["consumption"]["rows"]
    assert (autumn["quantity"], autumn["value"]) == (3, 36_000_000)


def test_shortages_list_parts_at_or_below_their_minimum_with_what_open_orders_ask_for(api_client, stock, manager_a):
    shortages = report(api_client, manager_a)["shortages"]
    assert [(r["code"], r["quantity"], r["minimum"], r["requested"]) for r in shortages["rows"]] == [
        ("CMP520", 2, 3, 2), ("TH1", 10, 10, 0)]  # center B's order asking for 4 is not center A's


def test_slow_movers_are_parts_on_hand_not_gone_out_in_180_days(api_client, stock, manager_a):
    slow = report(api_client, manager_a)["slow_movers"]
    assert [(r["code"], r["quantity"], r["value"], r["last_out"]) for r in slow["rows"]] == [
        ("TH1", 10, 10_000_000, None), ("FAN1", 3, 1_500_000, "1405/02/09")]


def test_a_center_keeps_its_stock_to_itself_and_head_office_sees_every_warehouse(api_client, stock, manager_a,
                                                                                head_office):
    network = report(api_client, head_office)
    aban = network["consumption"]["rows"][1]
    assert (aban["issued"], aban["value"]) == (4, 36_000_000)
    assert [(r["code"], "اصفهان" in r["warehouse"]) for r in network["slow_movers"]["rows"]] == [
        ("TH1", False), ("TH1", True), ("FAN1", False)]  # by value: 10,000,000, 2,000,000, 1,500,000
    mine = report(api_client, manager_a)
    assert all("اصفهان" not in r["warehouse"] for name in ("shortages", "slow_movers") for r in mine[name]["rows"])


def test_warehouse_keepers_open_the_stock_report_but_not_the_workshop_ones(api_client, stock, keeper_a):
    consumption = report(api_client, keeper_a)["consumption"]
    assert consumption["total"]["value"] == 36_000_000  # their center's, not head office's
    assert api_client.get("/api/reports/technicians/", PERIOD).status_code == 404


def test_a_shortage_row_opens_the_orders_that_used_or_want_the_part(client, stock, manager_a):
    order1, order2, order3 = stock["orders"]
    client.force_login(manager_a)
    page = client.get("/reports/stock-consumption/", PERIOD)
    assert page.status_code == 200
    [shortages] = [table for table in page.context["tables"] if table["table"].key == "shortages"]
    [link] = [cell["link"] for cell in shortages["rows"][0] if cell["link"]]
    listed = client.get(link)
    assert sorted(order.pk for order in listed.context["orders"]) == sorted([order1.pk, order2.pk, order3.pk])


def test_the_excel_file_gives_each_table_a_right_to_left_sheet_with_jalali_dates(api_client, stock, manager_a):
    import io

    from openpyxl import load_workbook

    api_client.force_authenticate(manager_a)
    response = api_client.get("/api/reports/stock-consumption/", {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    consumption, shortages, slow, _conditions = load_workbook(io.BytesIO(response.content)).worksheets
    assert consumption.sheet_view.rightToLeft and consumption["E1"].value == "ارزش مصرف (ریال)"
    assert [cell.value for cell in consumption[3]] == ["آبان ۱۴۰۵", 3, 1, 2, 24_000_000]
    assert shortages["F1"].value == "درخواست برگه‌های باز" and shortages["F2"].value == 2
    assert [cell.value for cell in slow[3]][-2:] == [1_500_000, "1405/02/09"]
