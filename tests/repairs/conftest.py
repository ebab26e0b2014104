import datetime

import pytest


@pytest.fixture
def owner(db):
    from aftersales.customers.models import Customer

    return Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")


@pytest.fixture
def warranted_unit(fridge_model, owner):
    """A refrigerator sold two months ago with an active 18-month warranty."""
    from aftersales.catalog.models import ProductUnit
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

    policy = WarrantyPolicy.objects.create(code="fridge-18", name="۱۸ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=18)
    ModelWarranty.objects.create(product_model=fridge_model, policy=policy)
    unit = ProductUnit.objects.create(serial="RF-520-0001", brand=fridge_model.brand, product_model=fridge_model, owner=owner)
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=datetime.date.today() - datetime.timedelta(days=60),
                           channel="staff")
    return unit


@pytest.fixture
def receive(center_a, reception_a, owner):
    from aftersales.repairs.services import reception_create

    def _receive(**options):
        options.setdefault("center", center_a)
        options.setdefault("customer", owner)
        options.setdefault("acting_user", reception_a)
        options.setdefault("description", "یخچال سرد نمی‌کند")
        return reception_create(**options)

    return _receive


@pytest.fixture
def service_item(db):
    from aftersales.catalog.models import ServiceItem

    return ServiceItem.objects.create(code="GAS", title="شارژ گاز", labour_price=2_500_000)
