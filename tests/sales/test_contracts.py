"""Contracts and their instalment plans (F51): the plan adds up, numbers, updates, status moves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.organization.roles import Role
from aftersales.sales.models import Contract
from aftersales.sales.services_contracts import (contract_cancel, contract_create, contract_end, contract_update,
                                                 plan_split)
from tests.factories import UserFactory

START = datetime.date(2026, 3, 21)  # 1405/01/01
END = datetime.date(2027, 3, 20)


@pytest.fixture
def accountant_a(center_a):
    return UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a], mobile="09120000001",
                       email="acc@example.com")


@pytest.fixture
def dealer(db):
    from aftersales.customers.models import Customer

    return Customer.objects.create(kind="legal", company_name="فروشگاه نور", mobile="09121112233")


@pytest.fixture
def make_contract(center_a, dealer, accountant_a):
    def make(**values):
        values.setdefault("center", center_a)
        values.setdefault("kind", Contract.Kind.AGENCY)
        values.setdefault("title", "قرارداد نمایندگی تهران")
        values.setdefault("customer", dealer)
        values.setdefault("start_date", START)
        values.setdefault("end_date", END)
        values.setdefault("value", 120_000_000)
        values.setdefault("responsible", accountant_a)
        values.setdefault("acting_user", accountant_a)
        values.setdefault("instalments", [{"due_date": datetime.date(2026, 6, 21), "amount": 60_000_000},
                                          {"due_date": datetime.date(2026, 12, 21), "amount": 60_000_000}])
        return contract_create(**values)

    return make


def test_contract_is_numbered_in_its_office_series_of_the_jalali_year(make_contract):
    first, second = make_contract(), make_contract()
    assert first.number == "1405-000001"
    assert second.number == "1405-000002"
    assert [row.amount for row in first.instalments.all()] == [60_000_000, 60_000_000]


def test_refuses_a_plan_that_does_not_add_up_to_the_value(make_contract):
    with pytest.raises(ValidationError) as error:
        make_contract(value=100_000_000)
    message = error.value.message_dict["instalments"][0]
    assert "۱۲۰٬۰۰۰٬۰۰۰" in message and "۱۰۰٬۰۰۰٬۰۰۰" in message
    assert not Contract.objects.exists()


def test_refuses_an_instalment_due_before_the_start_or_after_the_end(make_contract):
    with pytest.raises(ValidationError) as error:
        make_contract(value=2, instalments=[{"due_date": START - datetime.timedelta(days=1), "amount": 1},
                                            {"due_date": END + datetime.timedelta(days=1), "amount": 1}])
    assert set(error.value.message_dict) == {"instalments[0].due_date", "instalments[1].due_date"}
    assert "۱۴۰۴/۱۲/۲۹" in error.value.message_dict["instalments[0].due_date"][0]


def test_refuses_a_number_the_office_used_already(make_contract):
    make_contract(number="Q-1")
    with pytest.raises(ValidationError) as error:
        make_contract(number="Q-1")
    assert "number" in error.value.message_dict


def test_service_terms_belong_to_a_service_contract(make_contract):
    with pytest.raises(ValidationError) as error:
        make_contract(visits_included=4)
    assert "kind" in error.value.message_dict
    contract = make_contract(kind=Contract.Kind.SERVICE, visits_included=4, parts_covered=True, response_hours=48)
    assert contract.visits_included == 4 and contract.response_hours == 48


def test_another_centers_user_cannot_sign_for_this_office(make_contract, center_b):
    stranger = UserFactory(username="acc_b", role=Role.ACCOUNTANT, centers=[center_b])
    with pytest.raises(PermissionDenied):
        make_contract(acting_user=stranger)


def test_update_replaces_the_plan_as_a_whole(make_contract, accountant_a):
    contract = make_contract()
    plan = plan_split(value=90_000_000, count=3, first_due=datetime.date(2026, 4, 20))
    contract_update(contract=contract, acting_user=accountant_a, value=90_000_000, instalments=plan)
    assert [row.amount for row in contract.instalments.all()] == [30_000_000] * 3
    assert contract.history.count() == 2


def test_split_evenly_keeps_the_remainder_on_the_last_and_follows_jalali_months():
    plan = plan_split(value=100, count=3, first_due=datetime.date(2026, 4, 20))  # 1405/01/31
    assert [row["amount"] for row in plan] == [33, 33, 34]
    assert [row["due_date"] for row in plan] == [datetime.date(2026, 4, 20), datetime.date(2026, 5, 21),
                                                 datetime.date(2026, 6, 21)]


def test_end_and_cancel_move_the_status_once(make_contract, accountant_a):
    contract = make_contract()
    contract_end(contract=contract, acting_user=accountant_a)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    with pytest.raises(ValidationError):
        contract_cancel(contract=contract, acting_user=accountant_a)
    with pytest.raises(ValidationError):
        contract_update(contract=contract, acting_user=accountant_a, title="x")


def test_a_double_submit_signs_one_contract(make_contract):
    first = make_contract(submission_key="form-1")
    again = make_contract(submission_key="form-1")
    assert again.pk == first.pk and Contract.objects.count() == 1
