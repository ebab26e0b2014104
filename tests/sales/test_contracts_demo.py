"""The contracts' demo: three contracts, cheques in each state, alarms due today, a returned cheque on credit."""

import random

import pytest

from aftersales.sales.models import Alarm, Cheque, Contract

pytestmark = pytest.mark.django_db


def test_demo_writes_contracts_cheques_in_each_state_and_todays_alarms(django_capture_on_commit_callbacks):
    from aftersales.organization.demo import seed_organization
    from aftersales.sales import demo_contracts

    seed_organization(size="small")
    phrases = demo_contracts.seed(size="small", rng=random.Random(1))
    assert phrases and Contract.objects.count() == 3
    assert set(Contract.objects.values_list("kind", flat=True)) == {"agency", "supply", "project"}
    with django_capture_on_commit_callbacks(execute=True):
        demo_contracts.seed_returned(size="small", rng=random.Random(1))
    assert set(Cheque.objects.values_list("state", flat=True)) == {"received", "deposited", "cleared", "returned"}
    returned = Cheque.objects.get(state="returned")
    returned.customer.refresh_from_db()
    assert returned.customer.credit_status == "cash_only"
    assert Alarm.objects.filter(user__username="accountant").exists()
    assert demo_contracts.seed(size="small", rng=random.Random(1)) == []
