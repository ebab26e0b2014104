import pytest
from django.core.exceptions import ValidationError

from aftersales.catalog.models import ProductGroup
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_a_group_cannot_be_placed_under_its_own_child(fridge_model):
    home = ProductGroup.objects.get(code="HOME")
    home.parent = ProductGroup.objects.get(code="FRIDGE")
    with nothing_written(), pytest.raises(ValidationError):
        home.full_clean()


def test_group_descendants_include_the_whole_subtree(fridge_model):
    home = ProductGroup.objects.get(code="HOME")
    ProductGroup.objects.create(code="SBS", name="ساید", parent=ProductGroup.objects.get(code="FRIDGE"))
    assert len(home.descendant_ids()) == 3


def test_codes_are_stored_normalised(fridge_model):
    assert fridge_model.code == "RF520"
    group = ProductGroup.objects.create(code="wash-۱", name="لباسشويي")
    assert (group.code, group.name) == ("WASH1", "لباسشویی")
