"""A customer's request confirmed by two receptionists at the same instant gives one order, the other is
told it was confirmed; a request sent twice at once with one key is one request (PostgreSQL)."""

import pytest

from aftersales.customers.models import Customer
from aftersales.regions.models import Region, SalesTerritory
from aftersales.repairs.models import RepairOrder, ServiceRequest
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.requests import service_request_confirm, service_request_submit
from aftersales.workflow.models import State, Transition, Workflow
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow():
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again


@pytest.fixture
def city(center_a):
    province = Region.objects.create(code="Z1", name="استان آزمون", kind=Region.Kind.PROVINCE)
    city = Region.objects.create(code="Z101", name="شهر آزمون", kind=Region.Kind.CITY, parent=province)
    territory = SalesTerritory.objects.create(code="T-CITY", name="آزمون")
    territory.regions.add(city)
    territory.centers.add(center_a)
    return city


@pytest.fixture
def customer(db):
    return Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")


def test_two_confirmations_at_once_give_one_order(city, customer, reception_a, manager_a):
    request = service_request_submit(customer=customer, kind="in_center", description="سرد نمی‌کند", region=city,
                                     serial="ONCE-1")
    people = iter([reception_a, manager_a])

    def confirm():
        user = next(people)
        return service_request_confirm(request=ServiceRequest.objects.get(pk=request.pk), acting_user=user).pk

    results = at_once(confirm)
    orders = [result for result in results if isinstance(result, int)]
    assert len(orders) == 1, results
    assert "ValidationError" in next(result for result in results if not isinstance(result, int)), results
    assert RepairOrder.objects.count() == 1
    assert ServiceRequest.objects.get(pk=request.pk).order_id == orders[0]


def test_one_request_sent_twice_at_once_with_one_key_is_one_request(city, customer):
    def send():
        return service_request_submit(customer=customer, kind="in_center", description="سرد نمی‌کند", region=city,
                                      serial="ONCE-2", submission_key="double-tap").pk

    first, second = at_once(send)
    assert first == second and isinstance(first, int), (first, second)
    assert ServiceRequest.objects.count() == 1
