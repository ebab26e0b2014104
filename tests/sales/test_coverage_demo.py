"""The demo's service contract covers units received at the demo reception's center."""

import random

import pytest

from aftersales.organization.roles import Role
from aftersales.sales import demo_coverage
from aftersales.sales.models import Contract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_contract_covers_a_received_unit_and_runs_once(center_a, owner, warranted_unit, receive):
    UserFactory(username="reception", role=Role.RECEPTIONIST, centers=[center_a])
    UserFactory(username="center", role=Role.CENTER_MANAGER, centers=[center_a])
    receive(unit=warranted_unit, serial=warranted_unit.serial)
    done = demo_coverage.seed(size="small", rng=random.Random(1))
    contract = Contract.objects.get(kind=Contract.Kind.SERVICE)
    assert contract.number in done[0]
    covered = contract.units.get()
    assert covered.unit == warranted_unit and covered.visits_used == 1
    assert demo_coverage.seed(size="small", rng=random.Random(1)) == []
