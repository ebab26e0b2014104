"""Two managers put one unit under two overlapping service contracts at the same instant: one wins, the
other is told which contract covers it (PostgreSQL); two receptionists count the last visit at once: one."""

import queue

import pytest
from django.core.exceptions import ValidationError

from aftersales.catalog.models import ProductUnit
from aftersales.sales.models import ContractUnit
from aftersales.sales.services_coverage import contract_unit_add, contract_visit_use
from tests.twins import at_once

from .test_coverage import make_contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    from aftersales.organization.roles import sync_roles

    sync_roles()


@pytest.fixture
def unit(fridge_model):
    return ProductUnit.objects.create(serial="RF-520-0301", brand=fridge_model.brand, product_model=fridge_model)


def test_one_unit_added_to_two_overlapping_contracts_at_once_lands_under_one(center_a, owner, manager_a, unit):
    first = make_contract(center_a, owner, manager_a, number="1405-000201")
    second = make_contract(center_a, owner, manager_a, number="1405-000202")

    contracts = queue.SimpleQueue()
    for contract in (first, second):
        contracts.put(contract)

    def add():
        try:
            contract_unit_add(contract=contracts.get(), serial_or_unit="RF-520-0301", acting_user=manager_a)
            return "added"
        except ValidationError as error:
            return " ".join(error.messages)

    outcomes = at_once(add)
    assert outcomes.count("added") == 1, outcomes
    assert ContractUnit.objects.filter(unit=unit).count() == 1
    refused = next(outcome for outcome in outcomes if outcome != "added")
    assert "1405-00020" in refused


def test_the_last_visit_counted_twice_at_once_is_counted_once(center_a, owner, manager_a, reception_a, unit):
    contract = make_contract(center_a, owner, manager_a, number="1405-000203", visits=1)
    covered = contract_unit_add(contract=contract, serial_or_unit=unit, acting_user=manager_a)

    def visit():
        try:
            contract_visit_use(contract_unit=covered, acting_user=reception_a)
            return "counted"
        except ValidationError:
            return "refused"

    assert sorted(at_once(visit)) == ["counted", "refused"]
    covered.refresh_from_db()
    assert covered.visits_used == 1
