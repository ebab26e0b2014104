from django.db.models import QuerySet

from aftersales.core.persian import normalize_identifier

from .models import ProductUnit, UnitComponent


def unit_search(units: QuerySet, query: str) -> QuerySet:
    """Find units by serial, invoice, subscription or component serial, however the digits were typed.

    Exact matches only, so that each is one index lookup among millions of units.
    """
    key = normalize_identifier(query)
    if not key:
        return units.none()
    ids = set(ProductUnit.objects.filter(serial=key).values_list("pk", flat=True)[:100])
    for lookup in ("sale_invoice_no", "subscription_no"):
        ids.update(ProductUnit.objects.filter(**{lookup: key}).values_list("pk", flat=True)[:100])
    ids.update(UnitComponent.objects.filter(serial=key).values_list("unit_id", flat=True)[:100])
    return units.filter(pk__in=ids)
