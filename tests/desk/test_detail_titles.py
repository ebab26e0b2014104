"""Detail pages' titles give their dates in Jalali with Persian digits, never «· 2026-11-26» (issue 20)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.models import ModelPrice
from aftersales.competitors.models import Competitor, CompetitorProduct, PriceObservation

pytestmark = pytest.mark.django_db


def _title_and_heading(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1) + re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)


def test_a_model_price_and_a_competitor_price_are_titled_by_their_jalali_day(client, head_office, fridge_model):
    price = ModelPrice.objects.create(product_model=fridge_model, effective_on=datetime.date(2026, 11, 26), price=9)
    rival = Competitor.objects.create(code="lg", name="ال‌جی")
    product = CompetitorProduct.objects.create(competitor=rival, code="GR-1", name="ساید", our_model=fridge_model)
    seen = PriceObservation.objects.create(product=product, observed_on=datetime.date(2026, 11, 26), price=9)
    client.force_login(head_office)
    for slug, pk in (("model-prices", price.pk), ("competitor-prices", seen.pk)):
        shown = _title_and_heading(client.get(reverse("desk:detail", args=[slug, pk])).content.decode())
        assert "۱۴۰۵/۰۹/۰۵" in shown and "2026" not in shown, slug


def test_a_survey_is_named_by_its_jalali_day(owner):
    from aftersales.feedback.models import Survey

    sent = timezone.make_aware(datetime.datetime(2026, 11, 26, 10))
    survey = Survey.objects.create(token="t" * 20, customer=owner, mobile="09121234567", created_at=sent,
                                   expires_at=sent + datetime.timedelta(days=7))
    assert str(survey) == "09121234567 · ۱۴۰۵/۰۹/۰۵"
