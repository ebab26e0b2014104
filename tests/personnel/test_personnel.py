import pytest

from aftersales.catalog.models import ProductGroup
from aftersales.personnel.models import Skill, StaffProfile, StaffSkill
from aftersales.personnel.selectors import technicians_find

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    fridges = ProductGroup.objects.create(code="FRIDGE", name="یخچال")
    side = ProductGroup.objects.create(code="SBS", name="ساید بای ساید", parent=fridges)
    washers = ProductGroup.objects.create(code="WASH", name="لباسشویی")
    return fridges, side, washers


def _profile(user, center, groups, skill=None, level=2, home=False):
    profile = StaffProfile.objects.create(user=user, center=center, does_home_service=home)
    profile.product_groups.set(groups)
    if skill:
        StaffSkill.objects.create(profile=profile, skill=skill, level=level)
    return profile


def test_find_technicians_by_skill_level_and_product_group_including_subgroups(technician_a, manager_a, reception_a, groups):
    fridges, side, washers = groups
    cooling = Skill.objects.create(code="cooling", name="سردسازی")
    expert = _profile(technician_a, technician_a.centers.get(), [fridges], cooling, level=3, home=True)
    _profile(manager_a, manager_a.centers.get(), [washers], cooling, level=3)
    _profile(reception_a, reception_a.centers.get(), [fridges], cooling, level=1)
    found = technicians_find(user=manager_a, skill_code="cooling", product_group_id=side.pk, min_level=2)
    assert list(found) == [expert]
    assert list(technicians_find(user=manager_a, product_group_id=side.pk, home_service=True)) == [expert]


def test_staff_of_another_center_are_not_found_or_shown(client, technician_a, manager_b, groups):
    profile = _profile(technician_a, technician_a.centers.get(), [groups[0]])
    assert not technicians_find(user=manager_b).exists()
    client.force_login(manager_b)
    assert client.get(f"/data/staff/{profile.pk}/").status_code == 404
    assert f"/data/staff/{profile.pk}/" not in client.get("/data/staff/").content.decode()


def test_center_manager_sees_own_staff_with_skills(client, manager_a, technician_a, groups):
    skill = Skill.objects.create(code="boards", name="بردهای الکترونیکی")
    profile = _profile(technician_a, technician_a.centers.get(), [groups[0]], skill, level=3)
    client.force_login(manager_a)
    page = client.get(f"/data/staff/{profile.pk}/").content.decode()
    assert "بردهای الکترونیکی" in page and "یخچال" in page
