import datetime

import pytest

from aftersales.catalog.models import Brand, ComponentType, ModelComponent, ProductGroup, ProductModel


@pytest.fixture
def fridge_model(db):
    appliances = ProductGroup.objects.create(code="HOME", name="لوازم خانگی")
    fridges = ProductGroup.objects.create(code="FRIDGE", name="یخچال", parent=appliances)
    brand = Brand.objects.create(code="SNOW", name="اسنوا")
    model = ProductModel.objects.create(code="RF-520", name="یخچال ساید بای ساید ۵۲۰", brand=brand, group=fridges)
    compressor = ComponentType.objects.create(code="COMPRESSOR", name="کمپرسور", has_serial=True)
    ModelComponent.objects.create(product_model=model, component_type=compressor)
    return model


@pytest.fixture
def integration_user(db):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="tracking-system", role=Role.HEAD_OFFICE_MANAGER)


@pytest.fixture
def policy(fridge_model):
    """18 months from purchase, compressor 60 months; needs activation."""
    from aftersales.catalog.models import ComponentType
    from aftersales.warranty.models import ComponentTerm, ModelWarranty, PolicyVersion, WarrantyPolicy

    policy = WarrantyPolicy.objects.create(code="fridge-18", name="گارانتی ۱۸ ماهه یخچال")
    version = PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2025, 3, 21), duration_months=18)
    ComponentTerm.objects.create(version=version, component_type=ComponentType.objects.get(code="COMPRESSOR"), duration_months=60)
    ModelWarranty.objects.create(product_model=fridge_model, policy=policy)
    return policy


@pytest.fixture
def unit(fridge_model):
    from aftersales.catalog.models import ProductUnit, UnitComponent, ComponentType

    unit = ProductUnit.objects.create(serial="SN-1405-0001", brand=fridge_model.brand, product_model=fridge_model,
                                      production_date=datetime.date(2026, 1, 10))
    UnitComponent.objects.create(unit=unit, component_type=ComponentType.objects.get(code="COMPRESSOR"), serial="CMP1",
                                 fitted_on=datetime.date(2026, 1, 10))
    return unit
