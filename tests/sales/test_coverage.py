"""After-sales service contracts over units (F25): adding units by serial, overlap, visits, the contract
covering a unit on a day, and serving a unit by its contract's number."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.catalog.models import ProductUnit
from aftersales.sales.models import Contract, ContractUnit
from aftersales.sales.selectors_coverage import service_contract_for
from aftersales.sales.services_coverage import (contract_unit_add, contract_unit_remove, contract_units_add_bulk,
                                                contract_visit_use)

pytestmark = pytest.mark.django_db


def make_contract(center, customer, responsible, *, number="1405-000101", kind=Contract.Kind.SERVICE,
                  start=None, end=None, visits=2, status=Contract.Status.ACTIVE):
    today = timezone.localdate()
    return Contract.objects.create(
        center=center, number=number, kind=kind, title="قرارداد خدمات پس از فروش هتل آسمان", customer=customer,
        start_date=start or today - datetime.timedelta(days=30), end_date=end or today + datetime.timedelta(days=335),
        value=120_000_000, responsible=responsible, visits_included=visits, parts_covered=True, response_hours=48,
        status=status)


@pytest.fixture
def contract(center_a, owner, manager_a):
    return make_contract(center_a, owner, manager_a)


@pytest.fixture
def units(fridge_model):
    return [ProductUnit.objects.create(serial=f"RF-520-10{n}", brand=fridge_model.brand, product_model=fridge_model)
            for n in range(1, 4)]


def test_a_unit_is_added_by_its_serial_typed_in_persian_digits_with_spaces(contract, units, manager_a):
    covered = contract_unit_add(contract=contract, serial_or_unit="rf ۵۲۰ ۱۰۲", acting_user=manager_a)
    assert covered.unit == units[1]
    assert covered.history.get().history_user == manager_a


def test_an_unknown_serial_is_a_clear_message(contract, units, manager_a):
    with pytest.raises(ValidationError) as error:
        contract_unit_add(contract=contract, serial_or_unit="XX-999", acting_user=manager_a)
    assert "XX-999" in error.value.message_dict["serial"][0]
    assert not ContractUnit.objects.exists()


def test_units_are_added_only_to_an_active_service_contract(center_a, owner, manager_a, units):
    supply = make_contract(center_a, owner, manager_a, number="S-1", kind=Contract.Kind.SUPPLY)
    with pytest.raises(ValidationError):
        contract_unit_add(contract=supply, serial_or_unit=units[0].serial, acting_user=manager_a)
    ended = make_contract(center_a, owner, manager_a, number="S-2", status=Contract.Status.ENDED)
    with pytest.raises(ValidationError):
        contract_unit_add(contract=ended, serial_or_unit=units[0].serial, acting_user=manager_a)


def test_a_unit_under_another_active_contract_in_overlapping_dates_is_refused_naming_it(
        contract, center_a, owner, manager_a, units):
    contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    second = make_contract(center_a, owner, manager_a, number="1405-000102",
                           start=contract.end_date - datetime.timedelta(days=10),
                           end=contract.end_date + datetime.timedelta(days=365))
    with pytest.raises(ValidationError) as error:
        contract_unit_add(contract=second, serial_or_unit=units[0].serial, acting_user=manager_a)
    assert "1405-000102" not in str(error.value) and contract.number in str(error.value)
    # The next year's contract, starting after this one ends, may cover it.
    later = make_contract(center_a, owner, manager_a, number="1406-000001",
                          start=contract.end_date + datetime.timedelta(days=1),
                          end=contract.end_date + datetime.timedelta(days=366))
    assert contract_unit_add(contract=later, serial_or_unit=units[0].serial, acting_user=manager_a)


def test_the_same_unit_twice_on_one_contract_is_refused(contract, units, manager_a):
    contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    with pytest.raises(ValidationError, match="همین قرارداد"):
        contract_unit_add(contract=contract, serial_or_unit="rf-520-101", acting_user=manager_a)


def test_another_centers_manager_cannot_add_units(contract, units, manager_b):
    with pytest.raises(PermissionDenied):
        contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_b)
    assert not ContractUnit.objects.exists()


def test_a_paste_with_a_bad_line_adds_nothing_and_names_each_bad_line(contract, units, manager_a):
    result = contract_units_add_bulk(contract=contract, acting_user=manager_a,
                                     serials="RF-520-101\n\nNOPE-1\nrf520102\nRF 520 101\n")
    assert not result.ok
    assert [(line, serial) for line, serial, _message in result.errors] == [(3, "NOPE-1"), (5, "RF 520 101")]
    assert not ContractUnit.objects.exists()


def test_a_clean_paste_adds_every_unit(contract, units, manager_a):
    result = contract_units_add_bulk(contract=contract, acting_user=manager_a,
                                     serials="RF-520-101\r\n۵۲۰-۱۰۲ RF\tRF-520-103")
    # «۵۲۰-۱۰۲ RF» is not a serial of ours: its key differs, so it is reported.
    assert [serial for _line, serial, _m in result.errors] == ["۵۲۰-۱۰۲ RF"]
    result = contract_units_add_bulk(contract=contract, acting_user=manager_a,
                                      serials="RF-520-101\r\nRF-۵۲۰-۱۰۲\tRF-520-103")
    assert result.ok and len(result.added) == 3
    assert contract.units.count() == 3


def test_the_contract_covering_a_unit_is_found_only_in_its_dates(contract, units, manager_a):
    covered = contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    assert service_contract_for(units[0]) == covered
    assert service_contract_for(units[0], on=contract.end_date + datetime.timedelta(days=1)) is None
    assert service_contract_for(units[1]) is None
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.CANCELLED)
    assert service_contract_for(units[0]) is None


def test_visits_are_counted_up_to_those_included(contract, units, manager_a, reception_a):
    covered = contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    contract_visit_use(contract_unit=covered, acting_user=reception_a)
    contract_visit_use(contract_unit=covered, acting_user=reception_a)
    with pytest.raises(ValidationError, match="استفاده شده"):
        contract_visit_use(contract_unit=covered, acting_user=reception_a)
    covered.refresh_from_db()
    assert covered.visits_used == 2


def test_a_contract_of_unlimited_visits_never_runs_out(center_a, owner, manager_a, units, reception_a):
    unlimited = make_contract(center_a, owner, manager_a, number="U-1", visits=0)
    covered = contract_unit_add(contract=unlimited, serial_or_unit=units[0], acting_user=manager_a)
    for _ in range(5):
        contract_visit_use(contract_unit=covered, acting_user=reception_a)
    covered.refresh_from_db()
    assert covered.visits_used == 5


def test_one_orders_visit_is_counted_once(contract, units, manager_a, reception_a):
    covered = contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    contract_visit_use(contract_unit=covered, acting_user=reception_a, reference="order:7")
    with pytest.raises(ValidationError, match="به حساب قرارداد گذاشته"):
        contract_visit_use(contract_unit=covered, acting_user=reception_a, reference="order:7")
    covered.refresh_from_db()
    assert covered.visits_used == 1


def test_removing_a_unit_ends_its_cover_and_keeps_the_trail(contract, units, manager_a):
    covered = contract_unit_add(contract=contract, serial_or_unit=units[0], acting_user=manager_a)
    contract_unit_remove(contract_unit=covered, acting_user=manager_a)
    assert service_contract_for(units[0]) is None
    assert ContractUnit.history.filter(unit_id=units[0].pk, history_type="-").exists()


def test_a_unit_is_found_at_reception_by_its_contracts_number(contract, units, manager_a):
    from aftersales.catalog.lookup import unit_lookup

    for unit in units[:2]:
        contract_unit_add(contract=contract, serial_or_unit=unit, acting_user=manager_a)
    matches = unit_lookup("۱۴۰۵ ۰۰۰۱۰۱")
    assert {match.unit for match in matches} == set(units[:2])
    assert {match.kind for match in matches} == {"service_contract"}
