"""Demo competitors with products mapped to our models and a year of observed prices."""

import datetime

from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import ModelPrice

from .models import Competitor, CompetitorProduct, PriceObservation

RIVALS = [("lg", "ال‌جی"), ("samsung", "سامسونگ"), ("entekhab", "انتخاب")]


@transaction.atomic
def seed_competitors(*, size: str, rng) -> str:
    if Competitor.objects.exists():
        return "already present"
    today = timezone.localdate()
    observations = []
    for slug, name in RIVALS:
        rival = Competitor.objects.create(code=slug, name=name)
        for price in ModelPrice.objects.select_related("product_model"):
            product = CompetitorProduct.objects.create(
                competitor=rival, code=f"{slug.upper()}-{price.product_model.code}",
                name=f"{price.product_model.name} {name}", our_model=price.product_model,
            )
            level = price.price * rng.uniform(0.85, 1.2)
            for month in range(12, 0, -1):
                level *= rng.uniform(1.0, 1.05)  # prices rise month by month
                observations.append(PriceObservation(
                    product=product, observed_on=today - datetime.timedelta(days=30 * month),
                    price=int(level) // 100_000 * 100_000, source=rng.choice(PriceObservation.Source.values),
                ))
    PriceObservation.objects.bulk_create(observations)
    return f"{len(RIVALS)} competitors, {len(observations)} price observations"
