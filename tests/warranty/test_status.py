"""The status engine's rules: activation, product and component terms, replacement, policy changes, voids."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from aftersales.catalog.models import ComponentType, UnitComponent
from aftersales.warranty.models import PolicyVersion
from aftersales.warranty.services import card_number_clean, warranty_card_activate, warranty_card_issue, warranty_void
from aftersales.warranty.status import State, add_months, warranty_status
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

BOUGHT = datetime.date(2026, 3, 30)  # 1405/01/10


def _activate(unit, day=BOUGHT, **extra):
    card = warranty_card_issue(unit=unit)
    return warranty_card_activate(number=card.number, purchase_date=day, channel="staff", **extra)


def test_jalali_months_are_added_as_people_count_them():
    assert add_months(datetime.date(2026, 9, 22), 1) == datetime.date(2026, 10, 22)  # 1405/06/31 → 1405/07/30
    assert add_months(datetime.date(2026, 3, 30), 18) == datetime.date(2027, 10, 2)  # 1405/01/10 → 1406/07/10


def test_unknown_serial_is_not_registered():
    assert warranty_status(serial="NOPE-1").product.state == State.NOT_REGISTERED


def test_model_without_policy_has_no_warranty(unit):
    assert warranty_status(serial=unit.serial).product.state == State.NO_POLICY


def test_card_not_activated_means_not_activated_even_if_sold(unit, policy):
    unit.sale_date = BOUGHT
    unit.save()
    warranty_card_issue(unit=unit)
    status = warranty_status(serial=unit.serial, on=BOUGHT)
    assert status.product.state == State.NOT_ACTIVATED and status.product.end == datetime.date(2027, 10, 1)


def test_activated_product_runs_18_months_then_expires_while_compressor_runs_60(unit, policy):
    _activate(unit)
    compressor = ComponentType.objects.get(code="COMPRESSOR")
    inside = warranty_status(serial="sn ۱۴۰۵-۰۰۰۱", on=datetime.date(2027, 10, 1))
    assert inside.product.state == State.ACTIVE and inside.product.end == datetime.date(2027, 10, 1)
    assert inside.product.covers_parts and inside.product.covers_labour
    after = warranty_status(serial=unit.serial, on=datetime.date(2027, 10, 2))
    assert after.product.state == State.EXPIRED
    assert after.component(compressor.pk).state == State.ACTIVE
    assert after.component(compressor.pk).end == add_months(BOUGHT, 60) - datetime.timedelta(days=1)
    assert "60" in after.component(compressor.pk).rule


def test_a_replaced_component_starts_its_own_warranty(unit, policy):
    _activate(unit)
    board = ComponentType.objects.get(code="COMPRESSOR")
    UnitComponent.objects.filter(unit=unit).update(removed_on=datetime.date(2030, 1, 1))
    UnitComponent.objects.create(unit=unit, component_type=board, serial="CMP2", fitted_on=datetime.date(2030, 1, 1))
    status = warranty_status(serial=unit.serial, on=datetime.date(2033, 1, 1))
    assert status.product.state == State.EXPIRED
    replaced = status.component(board.pk)
    assert replaced.state == State.ACTIVE and replaced.start == datetime.date(2030, 1, 1) and replaced.serial == "CMP2"


def test_a_policy_change_does_not_rewrite_cards_activated_before_it(unit, policy, fridge_model):
    from aftersales.catalog.models import ProductUnit

    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2026, 6, 1), duration_months=24)
    _activate(unit)
    later = ProductUnit.objects.create(serial="SN-2", brand=fridge_model.brand, product_model=fridge_model)
    _activate(later, day=datetime.date(2026, 7, 1))
    on = datetime.date(2027, 12, 1)
    assert warranty_status(serial=unit.serial, on=on).product.state == State.EXPIRED  # 18 months
    assert warranty_status(serial="SN-2", on=on).product.state == State.ACTIVE  # 24 months


def test_voiding_the_product_or_one_component(unit, policy, reception_a):
    _activate(unit)
    compressor = ComponentType.objects.get(code="COMPRESSOR")
    warranty_void(unit=unit, component_type=compressor, reason="voltage", acting_user=reception_a, on=datetime.date(2026, 5, 1))
    status = warranty_status(serial=unit.serial, on=datetime.date(2026, 6, 1))
    assert status.product.state == State.ACTIVE
    assert status.component(compressor.pk).state == State.VOIDED and status.component(compressor.pk).void_reason
    warranty_void(unit=unit, reason="damage", acting_user=reception_a, on=datetime.date(2026, 7, 1))
    assert warranty_status(serial=unit.serial, on=datetime.date(2026, 6, 15)).product.state == State.ACTIVE
    assert warranty_status(serial=unit.serial, on=datetime.date(2026, 7, 1)).product.state == State.VOIDED


def test_card_numbers_catch_a_wrong_digit_and_a_swap(unit):
    number = warranty_card_issue(unit=unit).number
    assert card_number_clean(number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))) == number
    wrong = number[:-2] + str((int(number[-2]) + 1) % 10) + number[-1]
    with nothing_written(), pytest.raises(ValidationError):
        card_number_clean(wrong)
    if number[3] != number[4]:
        with nothing_written(), pytest.raises(ValidationError):
            card_number_clean(number[:3] + number[4] + number[3] + number[5:])


def test_activation_is_refused_twice_and_on_a_voided_unit(unit, policy, fridge_model, reception_a):
    from aftersales.catalog.models import ProductUnit

    card = _activate(unit)
    with nothing_written(), pytest.raises(ValidationError) as error:
        warranty_card_activate(number=card.number, purchase_date=BOUGHT, channel="staff")
    assert "number" in error.value.message_dict
    other = ProductUnit.objects.create(serial="SN-3", brand=fridge_model.brand, product_model=fridge_model)
    card = warranty_card_issue(unit=other)
    warranty_void(unit=other, reason="seal", acting_user=reception_a)
    with nothing_written(), pytest.raises(ValidationError):
        warranty_card_activate(number=card.number, purchase_date=BOUGHT, channel="staff")


def test_activation_records_the_owner_and_refuses_future_dates(unit, policy):
    from aftersales.customers.models import Customer

    owner = Customer.objects.create(kind="person", last_name="کریمی")
    card = warranty_card_issue(unit=unit)
    with nothing_written(), pytest.raises(ValidationError):
        warranty_card_activate(number=card.number, purchase_date=datetime.date(2099, 1, 1), channel="staff")
    warranty_card_activate(number=card.number, purchase_date=BOUGHT, channel="customer", owner=owner)
    unit.refresh_from_db()
    assert unit.owner == owner
