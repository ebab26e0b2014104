from django.db.models import QuerySet


def unit_search(units: QuerySet, query: str) -> QuerySet:
    """Find units by any number they are known by (serial, invoice, delivery note, subscription,
    component serial, and what apps above register: warranty cards), however it was typed.

    Exact matches on key columns only, so that each is one index lookup among millions of units.
    """
    from .lookup import unit_lookup_ids

    ids = unit_lookup_ids(query)
    return units.filter(pk__in=ids) if ids else units.none()
