"""Clerks of one center receiving at once (PostgreSQL; issue 21): a clerk whose reception is still being
written does not hold up the others — the center's number is taken only at the very end — and the
numbers still run 1…N, unique and with no gap, in the order the receptions were committed."""

import threading

import pytest

from aftersales.core.models import DocumentSequence
from aftersales.repairs import services
from aftersales.repairs.models import CenterDay, RepairOrder
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.services import reception_create
from aftersales.workflow.models import State, Transition, Workflow
from tests.busy import Pause, overlap
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow():
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again


def _receive(center, clerk, serial, mobile="09121234567"):
    return reception_create(center=center, acting_user=clerk, description="سرد نمی‌کند", customer_mobile=mobile,
                            customer_name="سارا احمدی", serial=serial)


def test_a_slow_reception_does_not_hold_up_another_clerk_of_the_center(center_a, reception_a, monkeypatch):
    """The first clerk's reception stops before its end (its customer still on the phone, say); a second
    clerk's reception in the same center goes through meanwhile and takes number 1; the first one then
    ends with number 2. Had the number been taken early, the second clerk would wait for the first."""
    pause, announce = Pause(), services.order_announce

    def slow_announce(order, event, **kwargs):
        announce(order, event, **kwargs)
        pause.here()  # everything but the final moment is written

    monkeypatch.setattr(services, "order_announce", slow_announce)
    slow_box, quick_box, finished_meanwhile = overlap(
        lambda: _receive(center_a, reception_a, "SLOW-1").number,
        lambda: _receive(center_a, reception_a, "QUICK-1", "09351234567").number, pause)
    assert finished_meanwhile, "the second clerk waited for the first clerk's reception to end"
    year = quick_box["result"].split("-")[0]
    assert (quick_box, slow_box) == ({"result": f"{year}-000001"}, {"result": f"{year}-000002"})
    assert dict(RepairOrder.objects.values_list("serial", "number")) == {"QUICK1": f"{year}-000001",
                                                                       "SLOW1": f"{year}-000002"}
    # The audit trail shows each order under its number from its first row on.
    assert sorted(RepairOrder.history.values_list("number", flat=True).distinct()) == [f"{year}-000001",
                                                                                     f"{year}-000002"]


def test_many_clerks_at_once_get_unique_gap_free_numbers_and_every_reception_counts(center_a, reception_a):
    clerks, each = 6, 5
    indexes, lock = iter(range(clerks)), threading.Lock()

    def clerk():
        with lock:
            index = next(indexes)
        for attempt in range(each):
            _receive(center_a, reception_a, f"BUSY-{index}-{attempt}", f"0935{index:03d}{attempt:04d}")

    assert at_once(clerk, twins=clerks) == [None] * clerks
    numbers = sorted(RepairOrder.objects.filter(center=center_a).values_list("number", flat=True))
    assert [int(number.split("-")[1]) for number in numbers] == list(range(1, clerks * each + 1))
    assert DocumentSequence.objects.get(scope=f"center:{center_a.pk}").last_number == clerks * each
    assert list(CenterDay.objects.values_list("received", flat=True)) == [clerks * each]
    # No order, and no row of its history, keeps the stand-in it was written under before its number.
    assert not RepairOrder.objects.filter(number__startswith="~").exists()
    assert not RepairOrder.history.filter(number__startswith="~").exists()
