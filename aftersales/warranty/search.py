"""The one search box for a unit (F25, F35): the catalog finds serials, invoices and subscriptions;
warranty adds card numbers and the owner's mobile or national code."""

from aftersales.core.persian import digits_only
from aftersales.core.validators import normalize_mobile, normalize_national_code


def extend_unit_search(base_search):
    def unit_search(units, query):
        from .models import WarrantyCard

        found = base_search(units, query)
        digits = digits_only(query).lstrip("+")
        if not digits.isdigit():
            return found
        ids = set(found.values_list("pk", flat=True)[:100])
        ids.update(WarrantyCard.objects.filter(number=digits).values_list("unit_id", flat=True)[:10])
        ids.update(units.filter(owner__mobile=normalize_mobile(digits)).values_list("pk", flat=True)[:100])
        ids.update(units.filter(owner__national_code=normalize_national_code(digits)).values_list("pk", flat=True)[:100])
        return units.filter(pk__in=ids)

    return unit_search
