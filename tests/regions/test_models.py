import pytest
from django.core.exceptions import ValidationError

from aftersales.core.search import search_filter
from aftersales.regions.models import Region
from aftersales.regions.reference import load_regions
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_all_31_provinces_ship_with_their_cities():
    provinces = Region.objects.filter(kind=Region.Kind.PROVINCE)
    assert provinces.count() == 31
    assert not provinces.filter(children__isnull=True).exists()
    tehran = Region.objects.get(kind="city", name="تهران")
    assert tehran.province().name == "تهران" and tehran.parent.area_code == "021"
    assert tehran.children.filter(kind="district").count() == 22


def test_loading_the_reference_regions_again_changes_nothing():
    before = Region.objects.count()
    load_regions(Region)
    assert Region.objects.count() == before


def test_search_finds_a_city_typed_with_arabic_letters_and_without_zwnj():
    assert search_filter(Region.objects.all(), "خميني شهر").get().name == "خمینی‌شهر"


def test_a_city_must_belong_to_a_province():
    tehran_city = Region.objects.get(kind="city", name="تهران")
    with nothing_written(), pytest.raises(ValidationError) as error:
        Region(code="9901", name="شهر نو", kind=Region.Kind.CITY, parent=tehran_city).full_clean()
    assert "parent" in error.value.message_dict
    with nothing_written(), pytest.raises(ValidationError):
        Region(code="9902", name="استان نو", kind=Region.Kind.PROVINCE, parent=tehran_city).full_clean()
