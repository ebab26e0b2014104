"""The sales cast: center A is the selling office, ``accountant_a`` works there, ``buyer`` is a dealer
buying ``fridge_model`` (price list 150,000,000 rials) and ``washer_model`` (80,000,000), and
``unpriced_model`` has no price in the list. Other parts of sales append their fixtures below."""

import datetime

import pytest

from aftersales.organization.roles import Role
from tests.factories import UserFactory

FRIDGE_PRICE = 150_000_000
WASHER_PRICE = 80_000_000


@pytest.fixture
def accountant_a(center_a):
    return UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a])


@pytest.fixture
def accountant_b(center_b):
    return UserFactory(username="accountant_b", role=Role.ACCOUNTANT, centers=[center_b])


@pytest.fixture
def washer_model(fridge_model):
    from aftersales.catalog.models import ProductGroup, ProductModel

    washers = ProductGroup.objects.create(code="WASHER", name="ماشین لباسشویی", parent=fridge_model.group.parent)
    return ProductModel.objects.create(code="WM-80", name="ماشین لباسشویی ۸ کیلویی", brand=fridge_model.brand,
                                       group=washers)


@pytest.fixture
def unpriced_model(fridge_model):
    from aftersales.catalog.models import ProductModel

    return ProductModel.objects.create(code="RF-700", name="یخچال فریزر ۷۰۰", brand=fridge_model.brand,
                                       group=fridge_model.group)


@pytest.fixture
def price_list(fridge_model, washer_model):
    """The price list: the fridge's and washer's prices from a year ago (an older, lower fridge price too)."""
    from aftersales.catalog.models import ModelPrice

    from django.utils import timezone

    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    ModelPrice.objects.create(product_model=fridge_model, effective_on=year_ago - datetime.timedelta(days=30),
                              price=120_000_000)
    ModelPrice.objects.create(product_model=fridge_model, effective_on=year_ago, price=FRIDGE_PRICE)
    ModelPrice.objects.create(product_model=washer_model, effective_on=year_ago, price=WASHER_PRICE)
    return {"fridge": fridge_model, "washer": washer_model}


@pytest.fixture
def buyer(db):
    """A dealer (a legal entity) that buys from center A."""
    from aftersales.customers.models import Customer

    return Customer.objects.create(kind="legal", company_name="فروشگاه لوازم خانگی پارس", mobile="09121112233")


@pytest.fixture
def sales_invoice(center_a, buyer, price_list, accountant_a):
    """An invoice of 2 fridges (no discount): 300,000,000 + VAT at ``BILLING_VAT_PERCENT``."""
    from aftersales.sales.services_documents import invoice_issue

    return invoice_issue(center=center_a, customer=buyer, acting_user=accountant_a,
                         lines=[{"product_model": price_list["fridge"], "quantity": 2}])
