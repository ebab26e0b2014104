"""The status of several units at once (a customer's list of products): the same answer as one by one, read
in one statement."""

import datetime

import pytest
from django.utils import timezone

from aftersales.catalog.models import ComponentType, ProductModel, ProductUnit, UnitComponent
from aftersales.warranty.models import VoidReason
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void
from aftersales.warranty.status import State, unit_warranty_status, units_warranty_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(fridge_model, policy, technician_a):
    """A unit in each state: active with a replaced compressor, expired (its compressor still covered), card not
    activated, voided, compressor alone voided, and one of a model with no policy."""
    today = timezone.localdate()
    compressor = ComponentType.objects.get(code="COMPRESSOR")

    def unit(serial, model=fridge_model, bought_days_ago=None):
        made = ProductUnit.objects.create(serial=serial, brand=model.brand, product_model=model,
                                          production_date=today - datetime.timedelta(days=2000))
        if bought_days_ago is not None:
            card = warranty_card_issue(unit=made)
            warranty_card_activate(number=card.number, channel="staff",
                                   purchase_date=today - datetime.timedelta(days=bought_days_ago))
        return made

    active = unit("MANY-ACTIVE", bought_days_ago=100)
    UnitComponent.objects.create(unit=active, component_type=compressor, serial="CMP-NEW",
                                 fitted_on=today - datetime.timedelta(days=10))
    expired = unit("MANY-EXPIRED", bought_days_ago=700)
    waiting = unit("MANY-WAITING")
    warranty_card_issue(unit=waiting)
    voided = unit("MANY-VOIDED", bought_days_ago=30)
    warranty_void(unit=voided, reason=VoidReason.VOLTAGE, acting_user=technician_a)
    part_voided = unit("MANY-PART-VOIDED", bought_days_ago=30)
    warranty_void(unit=part_voided, reason=VoidReason.VOLTAGE, acting_user=technician_a, component_type=compressor)
    fan = ProductModel.objects.create(code="FAN-9", name="پنکه", brand=fridge_model.brand, group=fridge_model.group)
    return [active, expired, waiting, voided, part_voided, unit("MANY-FAN", fan)]


def test_many_units_get_the_same_status_as_one_by_one(units):
    many = units_warranty_status(units)
    assert [many[unit.pk].product.state for unit in units] == [
        State.ACTIVE, State.EXPIRED, State.NOT_ACTIVATED, State.VOIDED, State.ACTIVE, State.NO_POLICY]
    for unit in units:
        assert many[unit.pk] == unit_warranty_status(unit), unit.serial
    assert many[units[1].pk].component(ComponentType.objects.get(code="COMPRESSOR").pk).state == State.ACTIVE
    assert many[units[4].pk].component(ComponentType.objects.get(code="COMPRESSOR").pk).state == State.VOIDED


def test_many_units_are_read_in_one_statement(units, django_assert_num_queries):
    units_warranty_status(units)  # the policies are kept per process for a while
    with django_assert_num_queries(1):
        units_warranty_status(units)
    with django_assert_num_queries(0):
        assert units_warranty_status([]) == {}
