"""technicians (F18) on a data set worked out by hand (Aban 1405 = 2026-10-23 … 2026-11-21).

Center A (TEH01), paid orders without estimates (within the approval limit):
  order 1  technician_a: received 08/02, repaired with GAS 60 min, quality control sends it back once
           (rework), passed, handed back 08/04 → closed
  order 2  technician_a: received 08/05, GAS 30 min, still in diagnosis, due yesterday → open and overdue;
           invoiced 08/06 → 2,500,000 labour
  order 3  technician_a: received 08/07, in diagnosis, due tomorrow → open, not overdue
  order 4  technician_a2: received 08/08, diagnosis cancelled by the manager → closed
  order 5  technician_a: received 07/15 with GAS 45 min that day (Mehr: outside the period)
  Surveys answered in Aban: technician_a 4, technician_a2 2.
  → technician_a: handled 3, closed 1, overdue 1 of 2 open = 50 %, rework 1, hours 90 / 60 = 1.5,
    labour 2,500,000, satisfaction 4.0; technician_a2: handled 1, closed 1, no open order (no share),
    rework 0, hours 0, labour 0, satisfaction 2.0
  → center A's network total: handled 4, closed 2, overdue 50 %, rework 1, hours 1.5, labour 2,500,000,
    satisfaction (4 + 2) / 2 = 3.0
Center B (ISF01): order 6 technician_b, received 08/03, in diagnosis; survey 5
  → head office's total: handled 5, closed 2, overdue 1 of 3 open = 33.3 %, satisfaction 11 / 3 = 3.67.
"""

import datetime

import pytest
from django.utils import timezone

from aftersales.organization.roles import Role
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import operation_add, order_hand_back, order_transition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ABAN = {"from": "1405/08/01", "to": "1405/08/30"}


def step(order, code, user, **options):
    return order_transition(order=RepairOrder.objects.get(pk=order.pk), code=code, acting_user=user, **options)


def answered(*, technician, center, score):
    from aftersales.feedback.services import survey_answer, survey_invite

    survey = survey_invite(mobile="09121234567", center=center, technician=technician)
    return survey_answer(token=survey.token, score=score, recommend=8)


@pytest.fixture
def people(center_a, center_b):
    return {"a2": UserFactory(username="technician_a2", first_name="رضا", last_name="نوری", role=Role.TECHNICIAN,
                              centers=[center_a]),
            "b": UserFactory(username="technician_b", first_name="مینا", last_name="راد", role=Role.TECHNICIAN,
                             centers=[center_b])}


@pytest.fixture
def aban(at, receive, people, service_item, technician_a, manager_a, reception_a, center_a, center_b, reception_b):
    from aftersales.billing.services import invoice_issue

    with at("1405/07/15 10:00"):
        order5 = step(receive(serial="OLD-5"), "start_diagnosis", technician_a)
        operation_add(order=order5, acting_user=technician_a, service_item=service_item, minutes=45)
    with at("1405/08/02 10:00"):
        order1 = step(receive(serial="T-1"), "start_diagnosis", technician_a)
        order1 = step(order1, "start_repair", technician_a)
        operation_add(order=order1, acting_user=technician_a, service_item=service_item, minutes=60)
        order1 = step(order1, "to_quality_check", technician_a)
        order1 = step(order1, "quality_failed", manager_a, comment="نشتی گاز")
        order1 = step(order1, "to_quality_check", technician_a)
        order1 = step(order1, "quality_passed", manager_a)
    with at("1405/08/03 10:00"):
        order6 = step(receive(serial="B-6", center=center_b, acting_user=reception_b), "start_diagnosis", people["b"])
    with at("1405/08/04 10:00"):
        order_hand_back(order=RepairOrder.objects.get(pk=order1.pk), handed_back_to="سارا احمدی، کارت ملی",
                        acting_user=reception_a)
    with at("1405/08/05 10:00"):
        order2 = step(receive(serial="T-2"), "start_diagnosis", technician_a)
        operation_add(order=order2, acting_user=technician_a, service_item=service_item, minutes=30)
    with at("1405/08/06 10:00"):
        invoice_issue(orders=[RepairOrder.objects.get(pk=order2.pk)], acting_user=reception_a)
    with at("1405/08/07 10:00"):
        order3 = step(receive(serial="T-3"), "start_diagnosis", technician_a)
    with at("1405/08/08 10:00"):
        order4 = step(step(receive(serial="T-4"), "start_diagnosis", people["a2"]), "cancel_diagnosis", manager_a,
                      comment="مشتری منصرف شد")
    with at("1405/08/10 10:00"):
        answered(technician=technician_a, center=center_a, score=4)
        answered(technician=people["a2"], center=center_a, score=2)
        answered(technician=people["b"], center=center_b, score=5)
    now = timezone.now()
    RepairOrder.objects.filter(pk=order2.pk).update(due_at=now - datetime.timedelta(days=1))
    RepairOrder.objects.filter(pk__in=[order3.pk, order6.pk]).update(due_at=now + datetime.timedelta(days=1))
    assert RepairOrder.objects.get(pk=order4.pk).state.is_final
    return {"orders": (order1, order2, order3, order4, order5, order6)}


def report(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/technicians/", {**ABAN, **params})
    assert response.status_code == 200, response.content
    return response.json()


def numbers(row):
    return (row["handled"], row["closed"], row["overdue_share"], row["rework"], row["hours"], row["labour"],
            row["satisfaction"])


def test_a_month_of_work_gives_each_technicians_numbers_worked_out_by_hand(api_client, aban, manager_a, technician_a,
                                                                          people):
    [table] = report(api_client, manager_a)["tables"]
    rows = {row["technician"]: row for row in table["rows"]}
    assert set(rows) == {technician_a.get_full_name(), "رضا نوری"}
    assert numbers(rows[technician_a.get_full_name()]) == (3, 1, 50.0, 1, 1.5, 2_500_000, 4.0)
    assert numbers(rows["رضا نوری"]) == (1, 1, None, 0, 0.0, 0, 2.0)
    assert {row["center"] for row in table["rows"]} == {"مرکز خدمات تهران"}
    assert table["total"]["center"] == "کل شبکه"
    assert numbers(table["total"]) == (4, 2, 50.0, 1, 1.5, 2_500_000, 3.0)


def test_a_center_manager_never_sees_another_centers_technicians_and_head_office_sees_both(
        api_client, aban, manager_a, head_office, people):
    mine = report(api_client, manager_a)["tables"][0]
    assert "مینا راد" not in {row["technician"] for row in mine["rows"]}
    network = report(api_client, head_office)["tables"][0]
    rows = {row["technician"]: row for row in network["rows"]}
    assert rows["مینا راد"]["center"] == "مرکز خدمات اصفهان"
    assert numbers(rows["مینا راد"]) == (1, 0, 0.0, 0, 0.0, 0, 5.0)
    total = network["total"]
    assert (total["handled"], total["closed"], total["overdue_share"], total["satisfaction"]) == (5, 2, 33.3, 3.67)
    api_client.force_authenticate(manager_a)
    refused = api_client.get("/api/reports/technicians/", {**ABAN, "technician": people["b"].pk})
    assert refused.status_code == 400 and "technician" in refused.json()


def test_a_technicians_row_opens_the_orders_assigned_to_them(client, aban, manager_a, people):
    order1, order2, order3, order4, _order5, _order6 = aban["orders"]
    client.force_login(manager_a)
    page = client.get("/reports/technicians/", ABAN)
    assert page.status_code == 200
    chart = page.context["chart_data"]
    assert chart["series"][0]["data"] == [3, 1] and chart["series"][1]["data"] == [1, 1]  # handled, closed
    listed = client.get(chart["links"][0])
    assert sorted(order.pk for order in listed.context["orders"]) == sorted([order1.pk, order2.pk, order3.pk])
    listed = client.get(chart["links"][1])
    assert [order.pk for order in listed.context["orders"]] == [order4.pk]


def test_the_performance_page_links_to_the_technicians_report_for_those_who_may_open_it(client, manager_a,
                                                                                       technician_a):
    client.force_login(manager_a)
    page = client.get("/repairs/performance/").content.decode()
    assert 'href="/reports/technicians/"' in page
    client.force_login(technician_a)
    response = client.get("/repairs/performance/")  # a technician may see the page, not the reports
    assert response.status_code == 200 and 'href="/reports/technicians/"' not in response.content.decode()
