"""center-performance on a data set worked out by hand (Mehr 1405 = 2026-09-23 … 2026-10-22).

Center A (TEH01):
  order 1  warranty unit, received 07/02 10:00, handed back 07/04 10:00 → 2 days; the same unit is
           received again on 07/10 (order 5) → it *returned* within 30 days
  order 2  paid, received 07/05 10:00, quality control sends it back once (*rework*), handed back
           07/09 10:00 → 4 days; invoiced, 1,000,000 rials paid
  order 3  received 07/20, still in diagnosis at the end → open
  order 4  received 06/25 10:00 (before the period), handed back 07/01 10:00 → 7 days (Shahrivar has
           31 days; a hand-back of the period, not a reception)
  order 5  warranty unit again, received 07/10, open at the end
  → receptions 4 (1, 2, 3, 5), warranty 2 of 4 = 50 %, hand-backs 3 (1, 2, 4), average 13 / 3 = 4.3 days,
    90th percentile of [2, 4, 7] = 4 + 0.8 × 3 = 6.4 days, rework 1, returns 1, first-time fix 1 of 3
    = 33.3 %, open at the end 2 (3, 5)
Center B (ISF01): order 6 received 07/03 10:00, handed back 07/06 10:00 → 3 days.
Network: receptions 5, hand-backs 4, average (2 + 4 + 7 + 3) / 4 = 4.0 days, 90th percentile of
[2, 3, 4, 7] = 4 + 0.7 × 3 = 6.1 days.
Surveys: order 1's customer answers 5 and 10 (promoter), order 2's 3 and 6 (detractor) → A's
satisfaction 4.0 and NPS (1 − 1) / 2 = 0.
"""

import io

import pytest

from aftersales.catalog.models import ProductUnit
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import estimate_answer, estimate_set, operation_add, order_hand_back, order_transition

pytestmark = pytest.mark.django_db
MEHR = {"from": "1405/07/01", "to": "1405/07/30"}


def step(order, code, user, **options):
    return order_transition(order=RepairOrder.objects.get(pk=order.pk), code=code, acting_user=user, **options)


def hand_back(order, user):
    return order_hand_back(order=RepairOrder.objects.get(pk=order.pk), handed_back_to="سارا احمدی، کارت ملی",
                           acting_user=user)


def warranty_repair(order, technician, manager, service_item):
    order = step(order, "start_diagnosis", technician)
    order = step(order, "start_repair", technician)
    operation_add(order=order, acting_user=technician, service_item=service_item, minutes=30)
    order = step(order, "to_quality_check", technician)
    return step(order, "quality_passed", manager)


@pytest.fixture
def mehr(request, at, receive, fridge_model, technician_a, manager_a, reception_a, service_item, center_b,
         reception_b, django_capture_on_commit_callbacks):
    from aftersales.billing.services import invoice_issue, payment_record
    from aftersales.feedback.models import Survey
    from aftersales.feedback.services import survey_answer
    from tests.factories import UserFactory
    from aftersales.organization.roles import Role

    technician_b = UserFactory(username="technician_b", role=Role.TECHNICIAN, centers=[center_b])
    manager_b = UserFactory(username="manager_b2", role=Role.CENTER_MANAGER, centers=[center_b])
    with at("1405/06/20 09:00"):  # sold 60 days before, under an 18-month warranty
        warranted_unit = request.getfixturevalue("warranted_unit")
    paid_unit = ProductUnit.objects.create(serial="PAID-2", brand=fridge_model.brand, product_model=fridge_model)
    with at("1405/06/25 10:00"):
        order4 = receive(serial="OLD-4")
    with at("1405/06/26 10:00"):
        order4 = step(order4, "start_diagnosis", technician_a)
        estimate_set(order=order4, amount=9_000_000, acting_user=technician_a)
        order4 = step(order4, "ask_approval", technician_a)
        estimate_answer(order=order4, approve=True, channel="phone", acting_user=reception_a)
        order4 = step(order4, "approved_repair", technician_a)
        operation_add(order=order4, acting_user=technician_a, service_item=service_item, minutes=30)
        order4 = step(order4, "to_quality_check", technician_a)
        order4 = step(order4, "quality_passed", manager_a)
    with at("1405/07/01 10:00"):
        hand_back(order4, reception_a)
    with at("1405/07/02 10:00"):
        order1 = receive(unit=warranted_unit)
    with at("1405/07/03 10:00"):
        order1 = warranty_repair(order1, technician_a, manager_a, service_item)
        order6 = receive(serial="B-6", center=center_b, acting_user=reception_b)
    with at("1405/07/04 10:00"), django_capture_on_commit_callbacks(execute=True):
        hand_back(order1, reception_a)
    with at("1405/07/05 10:00"):
        order2 = receive(unit=paid_unit)
    with at("1405/07/05 12:00"):
        order2 = step(order2, "start_diagnosis", technician_a)
        estimate_set(order=order2, amount=9_000_000, acting_user=technician_a)
        order2 = step(order2, "ask_approval", technician_a)
        estimate_answer(order=order2, approve=True, channel="phone", acting_user=reception_a)
        order2 = step(order2, "approved_repair", technician_a)
        operation_add(order=order2, acting_user=technician_a, service_item=service_item, minutes=60)
        order2 = step(order2, "to_quality_check", technician_a)
        order2 = step(order2, "quality_failed", manager_a, comment="نشتی گاز")
        order2 = step(order2, "to_quality_check", technician_a)
        order2 = step(order2, "quality_passed", manager_a)
    with at("1405/07/06 10:00"):
        order6 = step(order6, "start_diagnosis", technician_b)
        estimate_set(order=order6, amount=5_000_000, acting_user=technician_b)
        order6 = step(order6, "ask_approval", technician_b)
        estimate_answer(order=order6, approve=True, channel="phone", acting_user=reception_b)
        order6 = step(order6, "approved_repair", technician_b)
        operation_add(order=order6, acting_user=technician_b, service_item=service_item, minutes=30)
        order6 = step(order6, "to_quality_check", technician_b)
        order6 = step(order6, "quality_passed", manager_b)
        hand_back(order6, reception_b)
    with at("1405/07/08 10:00"):
        invoice = invoice_issue(orders=[RepairOrder.objects.get(pk=order2.pk)], acting_user=reception_a)
        payment_record(invoice=invoice, amount=1_000_000, method="cash", acting_user=reception_a)
    with at("1405/07/09 10:00"), django_capture_on_commit_callbacks(execute=True):
        hand_back(order2, reception_a)
    with at("1405/07/10 10:00"):
        receive(unit=warranted_unit)
    with at("1405/07/20 10:00"):
        order3 = receive(serial="OPEN-3")
        step(order3, "start_diagnosis", technician_a)
    with at("1405/07/12 10:00"):
        for survey in Survey.objects.order_by("pk"):
            if survey.ref.endswith(f":{order1.pk}"):
                survey_answer(token=survey.token, score=5, recommend=10)
            elif survey.ref.endswith(f":{order2.pk}"):
                survey_answer(token=survey.token, score=3, recommend=6)
    return {"invoice": invoice}


def report(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/center-performance/", {**MEHR, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_month_of_two_centers_gives_the_numbers_worked_out_by_hand(api_client, mehr, head_office):
    data = report(api_client, head_office)
    rows = {row["center"]: row for row in data["tables"][0]["rows"]}
    a, b = rows["مرکز خدمات تهران"], rows["مرکز خدمات اصفهان"]
    assert (a["rank"], b["rank"]) == (1, 2)  # three hand-backs before one
    assert (a["receptions"], a["handbacks"], a["open"]) == (4, 3, 2)
    assert (a["turnaround_days"], a["p90_days"]) == (4.3, 6.4)
    assert (a["rework"], a["returns"], a["first_time_fix"], a["warranty_share"]) == (1, 1, 33.3, 50.0)
    assert (b["receptions"], b["handbacks"], b["open"], b["turnaround_days"], b["first_time_fix"]) == (1, 1, 0, 3.0, 100.0)
    invoice = mehr["invoice"]
    assert (a["invoiced"], a["paid"], a["owed"]) == (invoice.total, 1_000_000, invoice.total - 1_000_000)
    assert (a["satisfaction"], a["nps"]) == (4.0, 0.0)
    total = data["tables"][0]["total"]
    assert (total["receptions"], total["handbacks"], total["turnaround_days"], total["p90_days"]) == (5, 4, 4.0, 6.1)


def test_time_in_each_state_is_averaged_per_center(api_client, mehr, head_office):
    data = report(api_client, head_office)
    table = data["tables"][1]
    names = {column["key"]: column["label"] for column in table["columns"]}
    row = next(row for row in table["rows"] if row["center"] == "مرکز خدمات تهران")
    hours = {names[key]: value for key, value in row.items() if key in names and key != "center"}
    # Left «received» in the period: order 1 after 24 h (07/02 10:00 → 07/03 10:00), order 2 after two
    # hours (10:00 → 12:00), order 3 at once (0 h); order 4 left it on 06/26 (before the period) and
    # order 5 never did → (24 + 2 + 0) / 3 = 8.7 h.
    assert hours["پذیرش شده"] == 8.7
    # «ready»: order 1 from 07/03 10:00 to 07/04 10:00 (24 h), order 2 from 07/05 12:00 to 07/09 10:00
    # (94 h), order 4 from 06/26 10:00 to 07/01 10:00 — a move made in the period: 144 h → 262 / 3 ≈ 87.3
    assert hours["آماده تحویل"] == 87.3


def test_a_center_manager_sees_only_their_center_and_cannot_ask_for_another(api_client, mehr, manager_a, center_b):
    data = report(api_client, manager_a)
    assert [row["center"] for row in data["tables"][0]["rows"]] == ["مرکز خدمات تهران"]
    assert data["tables"][0]["total"]["receptions"] == 4
    response = api_client.get("/api/reports/center-performance/", {**MEHR, "center": center_b.pk})
    assert response.status_code == 400
    assert response.json() == {"center": ["این مرکز از مراکز شما نیست."]}


def test_rework_and_come_back_flags_are_recomputed_from_history_alike(api_client, mehr, head_office):
    from aftersales.repairs.services import order_flags_refresh

    flags = set(RepairOrder.objects.values_list("pk", "is_reworked", "has_come_back"))
    assert sum(reworked for _pk, reworked, _back in flags) == 1 and sum(back for _pk, _r, back in flags) == 1
    RepairOrder.objects.update(is_reworked=False, has_come_back=True)  # wrong on purpose
    order_flags_refresh(RepairOrder.objects.all())
    assert set(RepairOrder.objects.values_list("pk", "is_reworked", "has_come_back")) == flags


def center_days():
    from aftersales.repairs.models import CenterDay

    return {(row["center"], row["day"]): row for row in CenterDay.objects.values(
        "center", "day", "received", "received_warranty", "handed_back", "turnaround_seconds", "reworked",
        "come_back", "first_time")}


def test_the_centers_days_kept_by_the_services_equal_a_rebuild_from_the_orders(mehr):
    from aftersales.repairs.tallies import center_days_rebuild

    kept = center_days()
    # Center A's Mehr: receptions on 07/02, 07/05, 07/10 and 07/20; hand-backs 07/01 (order 4), 07/04 (order 1,
    # come back: not a first-time fix), 07/09 (order 2, reworked).
    a = {day: row for (center, day), row in kept.items() if center == RepairOrder.objects.get(
        handed_back_at__isnull=False, is_reworked=True).center_id}
    assert sum(row["received"] for row in a.values()) == 5  # order 4 in Shahrivar too
    assert sorted((row["handed_back"], row["reworked"], row["come_back"], row["first_time"]) for row in a.values()
                  if row["handed_back"]) == [(1, 0, 0, 1), (1, 0, 1, 0), (1, 1, 0, 0)]
    center_days_rebuild()
    rebuilt = center_days()
    assert kept.keys() == rebuilt.keys()
    for key, row in kept.items():  # the services count whole seconds of each turnaround, the rebuild rounds the sum
        assert abs(row.pop("turnaround_seconds") - rebuilt[key].pop("turnaround_seconds")) <= 1
        assert row == rebuilt[key]


def test_narrowed_to_a_kind_the_orders_themselves_give_the_same_numbers(api_client, mehr, head_office):
    """Narrowed below a center and a day, the report reads the orders instead of the centers' days: every
    order of the month is an in-center repair, so the two ways agree."""
    whole, narrowed = report(api_client, head_office), report(api_client, head_office, kind="in_center")
    assert narrowed["tables"][0]["rows"] == whole["tables"][0]["rows"]
    assert narrowed["tables"][0]["total"] == whole["tables"][0]["total"]
    home = report(api_client, head_office, kind="home")["tables"][0]["total"]
    assert (home["receptions"], home["handbacks"], home["open"]) == (0, 0, 0)


def test_the_centers_months_in_each_state_kept_by_the_services_equal_a_rebuild_from_the_moves(mehr):
    from aftersales.repairs.models import CenterStateMonth
    from aftersales.repairs.tallies import center_state_months_rebuild

    def months():
        return set(CenterStateMonth.objects.exclude(moves=0).values_list("center", "state", "month", "seconds", "moves"))

    kept = months()
    assert len({month for _c, _s, month, _sec, _m in kept}) == 2  # Shahrivar (order 4's first moves) and Mehr
    assert center_state_months_rebuild() == len(kept)
    assert months() == kept


@pytest.mark.parametrize("period", [MEHR, {"from": "1405/06/29", "to": "1405/07/08"}, {"from": "1405/07/03", "to": "1405/07/30"}])
def test_hours_in_each_state_from_whole_months_and_the_days_around_them_equal_the_moves_themselves(
        api_client, mehr, head_office, period):
    """Whole months come from the centers' months, the days around them from the moves; narrowed to a kind
    the report reads only the moves: the same hours either way."""
    api_client.force_authenticate(head_office)
    whole = api_client.get("/api/reports/center-performance/", period).json()
    narrowed = api_client.get("/api/reports/center-performance/", {**period, "kind": "in_center"}).json()
    assert whole["tables"][1]["rows"] and whole["tables"][1] == narrowed["tables"][1]


def test_the_centers_billing_days_kept_by_the_services_equal_a_rebuild_and_follow_a_credit_note(
        api_client, mehr, head_office, reception_a, at):
    from aftersales.billing.models import CenterBillingDay
    from aftersales.billing.services import invoice_credit, payment_record
    from aftersales.billing.tallies import billing_days_rebuild

    def days():
        return set(CenterBillingDay.objects.values_list("center", "day", "invoiced", "paid", "standing_billed",
                                                        "standing_paid"))

    invoice = mehr["invoice"]
    with at("1405/07/15 10:00"):
        payment_record(invoice=invoice, amount=500_000, method="cash", acting_user=reception_a)
    kept = days()
    billing_days_rebuild()
    assert days() == kept
    before = report(api_client, head_office)["tables"][0]["total"]
    assert (before["paid"], before["owed"]) == (1_500_000, invoice.total - 1_500_000)
    with at("1405/07/20 10:00"):
        invoice_credit(invoice=invoice, reason="قیمت اشتباه", acting_user=reception_a)
    kept = days()
    billing_days_rebuild()
    assert days() == kept
    after = report(api_client, head_office)["tables"][0]["total"]
    # The credit note takes the invoice back within the month and nothing is owed on a credited invoice.
    assert (after["invoiced"], after["paid"], after["owed"]) == (0, 1_500_000, 0)


def test_the_recount_command_puts_back_what_was_written_around_the_services(api_client, mehr, head_office):
    from django.core.management import call_command

    from aftersales.repairs.models import CenterDay

    before = report(api_client, head_office)["tables"][0]["rows"]
    CenterDay.objects.update(received=0, handed_back=0)  # as a repair in SQL would leave them
    assert report(api_client, head_office)["tables"][0]["rows"] != before
    call_command("reports_recount", stdout=io.StringIO())
    assert report(api_client, head_office)["tables"][0]["rows"] == before
