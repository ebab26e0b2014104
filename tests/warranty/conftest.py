import datetime

import pytest


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
