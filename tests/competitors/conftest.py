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
