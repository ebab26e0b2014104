import datetime

from django.apps import apps

from .models import PriceObservation


def price_comparison(*, product_model_id: int, since: datetime.date | None = None) -> dict:
    """Our price and each competing product's observed prices over time, for one of our models.

    Returns ``{"ours": [(date, price)], "theirs": {product label: [(date, price)]}}``; several
    observations of one product on one day are averaged.
    """
    ModelPrice = apps.get_model("catalog", "ModelPrice")
    ours = ModelPrice.objects.filter(product_model_id=product_model_id)
    observations = PriceObservation.objects.filter(product__our_model_id=product_model_id).select_related("product__competitor")
    if since:
        observations = observations.filter(observed_on__gte=since)
    theirs: dict[str, dict[datetime.date, list[int]]] = {}
    for observation in observations.order_by("observed_on"):
        theirs.setdefault(str(observation.product), {}).setdefault(observation.observed_on, []).append(observation.price)
    return {
        "ours": [(row.effective_on, row.price) for row in ours.order_by("effective_on")],
        "theirs": {label: [(day, sum(prices) // len(prices)) for day, prices in days.items()] for label, days in theirs.items()},
    }
