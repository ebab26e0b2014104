"""The one search box for a unit (F25, F35): the catalog's lookup finds units by serial, invoice,
delivery note and subscription numbers; warranty adds the warranty card's number to it, and to the
units list the owner's mobile or national code."""

import functools

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.persian import digits_only
from aftersales.core.validators import normalize_mobile, normalize_national_code


@functools.cache
def _card_select() -> str:
    from aftersales.catalog.lookup import exact_select

    from .models import WarrantyCard

    return exact_select(WarrantyCard, "number", "warranty_card", "number", "unit")


def _by_card(key):
    """Units by their warranty card's number (the card also carries the unit's periodic services)."""
    return (_card_select(), [key]) if key.isdigit() else ("", [])


def lookups_register():
    """Register the warranty card with the catalog's unit lookup, and the lookup with the customer
    search: a customer is found by any number of a unit they own."""
    from aftersales.catalog.lookup import register_finder, unit_lookup_ids
    from aftersales.customers.desk import EXACT_LOOKUPS

    register_finder("warranty_card", _("warranty card no."), select=_by_card, order=20)
    EXACT_LOOKUPS.append(lambda query: Q(units__pk__in=unit_lookup_ids(query) or [0]))


def extend_unit_search(base_search):
    def unit_search(units, query):
        found = base_search(units, query)
        digits = digits_only(query).lstrip("+")
        if not digits.isdigit():
            return found
        ids = set(found.values_list("pk", flat=True)[:100])
        ids.update(units.filter(owner__mobile=normalize_mobile(digits)).values_list("pk", flat=True)[:100])
        ids.update(units.filter(owner__national_code=normalize_national_code(digits)).values_list("pk", flat=True)[:100])
        return units.filter(pk__in=ids)

    return unit_search
