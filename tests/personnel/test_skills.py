"""Staff found by a skill's name, and skills given and taken away on the staff page, with the change in
the profile's audit trail (issue 20, "Smaller things seen")."""

import pytest
from django.urls import reverse

from aftersales.personnel.models import Skill, StaffProfile, StaffSkill

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooling(db):
    return Skill.objects.create(code="cooling", name="سردسازی و شارژ گاز")


@pytest.fixture
def profiles(technician_a, reception_a, center_a, cooling):
    skilled = StaffProfile.objects.create(user=technician_a, center=center_a, specialty="یخچال")
    StaffSkill.objects.create(profile=skilled, skill=cooling, level=3)
    other = StaffProfile.objects.create(user=reception_a, center=center_a, specialty="پذیرش")
    return skilled, other


def test_searching_a_skills_name_on_the_staff_list_finds_who_has_it(login, manager_a, profiles):
    skilled, other = profiles
    page = login(manager_a).get(reverse("desk:list", args=["staff"]), {"q": "شارژ گاز"})
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("desk:detail", args=["staff", skilled.pk]) in html
    assert reverse("desk:detail", args=["staff", other.pk]) not in html
    by_name = login(manager_a).get(reverse("desk:list", args=["staff"]), {"q": "پذیرش"}).content.decode()
    assert reverse("desk:detail", args=["staff", other.pk]) in by_name


def test_a_manager_gives_and_removes_a_skill_on_the_staff_page(login, manager_a, profiles, center_a):
    skilled, other = profiles
    washing = Skill.objects.create(code="washing", name="تعمیر لباسشویی")
    client = login(manager_a)
    page = client.get(reverse("desk:detail", args=["staff", other.pk])).content.decode()
    assert 'data-testid="skill-form"' in page
    client.post(reverse("personnel:skill-set", args=[other.pk]),
                {"skill": washing.pk, "level": "3", "certified_on": "۱۴۰۵/۰۱/۱۰", "certificate_expires_on": "1406/01/10"})
    link = StaffSkill.objects.get(profile=other)
    assert (link.skill, link.level, link.certified_on.isoformat()) == (washing, 3, "2026-03-30")
    page = client.get(reverse("desk:detail", args=["staff", other.pk])).content.decode()
    assert "تعمیر لباسشویی" in page and "مهارت تعمیر لباسشویی" in page  # listed, and in the audit trail
    client.post(reverse("personnel:skill-remove", args=[other.pk, washing.pk]))
    assert not StaffSkill.objects.filter(profile=other).exists()


def test_a_certificate_expiring_before_it_was_given_is_refused_in_persian(login, manager_a, profiles, cooling):
    _skilled, other = profiles
    response = login(manager_a).post(reverse("personnel:skill-set", args=[other.pk]), {
        "skill": cooling.pk, "level": "2", "certified_on": "1405/02/01", "certificate_expires_on": "1405/01/01"},
        follow=True)
    assert "انقضای گواهی" in response.content.decode()
    assert not StaffSkill.objects.filter(profile=other).exists()


def test_a_technician_or_another_centers_manager_cannot_edit_skills(login, technician_a, manager_b, profiles, cooling):
    _skilled, other = profiles
    url = reverse("personnel:skill-set", args=[other.pk])
    assert login(technician_a).post(url, {"skill": cooling.pk, "level": "2"}).status_code == 403
    assert login(manager_b).post(url, {"skill": cooling.pk, "level": "2"}).status_code == 404
    assert not StaffSkill.objects.filter(profile=other).exists()
