"""Receptions at the same instant (PostgreSQL): every one counts in the center's day and its fault
code's month, whoever opens the day's row first; and the counts equal a rebuild from the orders."""

import threading

import pytest

from aftersales.catalog.models import FaultCode
from aftersales.repairs.models import CenterDay, FaultMonth
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.services import reception_create
from aftersales.repairs.tallies import center_days_rebuild, fault_months_rebuild
from aftersales.workflow.models import State, Transition, Workflow
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow():
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again


def test_four_receptions_at_once_at_one_center_all_count(center_a, reception_a, fridge_model):
    code = FaultCode.objects.create(code="NOCOOL", title="سرد نمی‌کند")
    serials = iter(f"ONCE-{index}" for index in range(4))
    lock = threading.Lock()

    def receive():
        with lock:
            serial = next(serials)
        return reception_create(center=center_a, acting_user=reception_a, description="سرد نمی‌کند",
                                customer_mobile="09121234567", customer_name="سارا احمدی", serial=serial,
                                product_model=fridge_model, faults=[(code, "")]).pk

    results = at_once(receive, twins=4)
    assert all(isinstance(result, int) for result in results), results
    assert list(CenterDay.objects.values_list("received", flat=True)) == [4]
    assert list(FaultMonth.objects.values_list("orders", flat=True)) == [4]
    center_days_rebuild()
    fault_months_rebuild()
    assert list(CenterDay.objects.values_list("received", flat=True)) == [4]
    assert list(FaultMonth.objects.values_list("orders", flat=True)) == [4]
