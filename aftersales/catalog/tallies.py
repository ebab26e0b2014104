"""Units sold per model and production day (``UnitsSold``), kept by every write of a unit.

A unit counts once under (its model, its production date) while it has a sale date. A unit saved
through the ORM compares what it was loaded with to what it saves (``ProductUnit.save``); a deleted
unit, one by one or a whole selection, is taken out (``unit_deleted``, on ``post_delete``); the importers' bulk paths add up their rows (``units_sold_add``); ``units_sold_rebuild``
recomputes them from the units, for data written around the services (a migration, a benchmark).
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count

from aftersales.core.tallies import tally_add

from .models import ProductUnit, UnitsSold


def sold_key(unit) -> tuple | None:
    """(model, production date) a unit counts under, or None when it has no sale date."""
    return (unit.product_model_id, unit.production_date) if unit.sale_date else None


def units_sold_change(before: tuple | None, after: tuple | None) -> None:
    """A unit that counted under ``before`` (None: not at all) now counts under ``after``."""
    if before == after:
        return
    delta = Counter()
    if before:
        delta[before] -= 1
    if after:
        delta[after] += 1
    units_sold_add(delta)


def unit_deleted(sender, instance, **kwargs) -> None:
    units_sold_change(instance._sold_as if hasattr(instance, "_sold_as") else sold_key(instance), None)


def units_sold_add(delta: Counter) -> None:
    """Add ``{(model, production date): units}`` to the counts."""
    for (model, produced), units in sorted(delta.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        tally_add(UnitsSold, {"product_model_id": model, "production_date": produced}, {"units": units})


def units_sold_rebuild() -> int:
    """Recompute the counts from the units; returns the rows written."""
    rows = [UnitsSold(product_model_id=entry["product_model"], production_date=entry["production_date"],
                      units=entry["units"])
            for entry in (ProductUnit.objects.filter(sale_date__isnull=False).values("product_model", "production_date")
                          .annotate(units=Count("pk")).order_by())]
    with transaction.atomic():
        UnitsSold.objects.all().delete()
        UnitsSold.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
