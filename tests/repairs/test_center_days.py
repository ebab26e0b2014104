"""The centers' days (``repairs.CenterDay``) the services keep for the reports: a referral to another
center moves the order's reception there, and the report then counts it there."""

import pytest
from django.utils import timezone

from aftersales.repairs.models import CenterDay
from aftersales.repairs.services import order_refer

pytestmark = pytest.mark.django_db


def received(center):
    return {row.day: (row.received, row.received_warranty) for row in CenterDay.objects.filter(center=center)}


def test_a_referral_to_another_center_moves_the_reception_to_that_centers_day(receive, center_a, center_b,
                                                                                 reception_a, api_client, head_office):
    first, second = receive(serial="REF-1"), receive(serial="REF-2")
    today = timezone.localdate()
    assert received(center_a) == {today: (2, 0)}
    order_refer(order=second, acting_user=reception_a, reason="قطعه در اصفهان است", to_center=center_b)
    assert received(center_a) == {today: (1, 0)} and received(center_b) == {today: (1, 0)}
    order_refer(order=first, acting_user=reception_a, reason="قطعه در اصفهان است", to_center=center_b)
    assert received(center_a) == {today: (0, 0)} and received(center_b) == {today: (2, 0)}

    api_client.force_authenticate(head_office)
    data = api_client.get("/api/reports/center-performance/", {"period": "today"}).json()
    assert [(row["center"], row["receptions"]) for row in data["tables"][0]["rows"]] == [("مرکز خدمات اصفهان", 2)]


def test_a_referral_takes_the_orders_time_in_each_state_to_the_new_center(receive, center_a, center_b, reception_a,
                                                                           technician_a):
    from aftersales.repairs.models import CenterStateMonth
    from aftersales.repairs.services import order_transition

    order = order_transition(order=receive(serial="REF-3"), code="start_diagnosis", acting_user=technician_a)
    assert set(CenterStateMonth.objects.values_list("center", "moves")) == {(center_a.pk, 1)}
    order_refer(order=order, acting_user=reception_a, reason="قطعه در اصفهان است", to_center=center_b)
    assert set(CenterStateMonth.objects.values_list("center", "moves")) == {(center_a.pk, 0), (center_b.pk, 1)}
