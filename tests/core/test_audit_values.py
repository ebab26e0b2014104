"""The change history shows values as a person reads them: yes/no for booleans, a related record's name
instead of its id, «—» for nothing, Jalali dates (issue 20: «True ← —», «← 3»)."""

import datetime
import re

import pytest
from django.urls import reverse

from aftersales.personnel.models import StaffProfile

pytestmark = pytest.mark.django_db


def _changes(html: str) -> list[str]:
    trail = re.search(r'data-testid="audit-trail">(.*?)</ul>\s*</section>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", trail, re.S)]


def test_booleans_related_records_and_empty_values_read_as_words(client, head_office, technician_a, center_a, center_b):
    profile = StaffProfile.objects.create(user=technician_a, center=center_a)
    profile.does_home_service = True
    profile.center = center_b
    profile.personnel_number = "۱۲۳"
    profile.save()
    client.force_login(head_office)
    changes = _changes(client.get(reverse("desk:detail", args=["staff", profile.pk])).content.decode())
    joined = " | ".join(changes)
    assert "True" not in joined and "False" not in joined
    assert any("خیر" in change and "بله" in change for change in changes), joined
    assert any(center_a.name in change and center_b.name in change for change in changes), joined
    assert f"← {center_b.pk}" not in joined
    assert any(change.startswith("شماره پرسنلی") and "—" in change for change in changes), joined


def test_dates_in_the_history_are_jalali(client, head_office, fridge_model):
    from aftersales.catalog.models import ModelPrice

    price = ModelPrice.objects.create(product_model=fridge_model, effective_on=datetime.date(2026, 11, 26), price=9)
    price.effective_on = datetime.date(2026, 11, 27)
    price.save()
    client.force_login(head_office)
    joined = " | ".join(_changes(client.get(reverse("desk:detail", args=["model-prices", price.pk])).content.decode()))
    assert "۱۴۰۵/۰۹/۰۵" in joined and "۱۴۰۵/۰۹/۰۶" in joined and "2026" not in joined
