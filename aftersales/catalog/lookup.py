"""Serve by any number (F25, F35; issue 20): one lookup finds a unit by whatever number the customer
brings — its serial, sale invoice, delivery note or subscription number here; apps above register theirs
(warranty: the warranty card; later sales: the contract) — typed with any digits and separators.

The lookup is used by the reception desk, the units list, the customer search and
``GET /api/units/lookup/``. Each finder is one exact index lookup on a key column, so the lookup stays a
handful of index reads among millions of units. A number may name several units (one invoice for three
units): every match is returned, for the user to choose from.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .identifiers import identifier_key
from .models import ProductUnit

#: How many units one number may name before the rest are left out (an invoice of a whole lorry).
LIMIT = 50


@dataclass(frozen=True)
class Finder:
    """A kind of number and how to find the units it names: ``find(key)`` returns (unit id, the number
    as stored) pairs for the matching key (``identifiers.identifier_key`` of what was typed)."""

    kind: str
    label: str | Promise
    find: Callable[[str], Iterable[tuple[int, str]]]
    order: int = 100


@dataclass(frozen=True)
class Match:
    """A unit a number names, by which kind of number (``kind``/``label``) and that number as stored."""

    unit: ProductUnit
    kind: str
    label: str | Promise
    number: str


_FINDERS: dict[str, Finder] = {}


def register_finder(kind: str, label, find, *, order: int = 100) -> None:
    """Let the lookup find units by another kind of number (an app above the catalog: cards, contracts)."""
    _FINDERS[kind] = Finder(kind, label, find, order)


def finders() -> list[Finder]:
    return sorted(_FINDERS.values(), key=lambda finder: finder.order)


def unit_lookup(number: str, *, units=None) -> list[Match]:
    """The units ``number`` names, by every kind of number, each unit once (its first kind wins);
    ``units`` narrows them (a scoped queryset). An empty number finds nothing."""
    key = identifier_key(number)
    if not key or "\x00" in key:  # PostgreSQL takes no NUL in a string
        return []
    found: dict[int, tuple[Finder, str]] = {}
    for finder in finders():
        for unit_id, stored in list(finder.find(key))[:LIMIT]:
            found.setdefault(unit_id, (finder, stored))
    if not found:
        return []
    queryset = ProductUnit.objects.all() if units is None else units
    rows = queryset.filter(pk__in=list(found)[:LIMIT]).select_related("product_model", "brand", "owner")
    matches = [Match(unit, found[unit.pk][0].kind, found[unit.pk][0].label, found[unit.pk][1]) for unit in rows]
    order = {finder.kind: index for index, finder in enumerate(finders())}
    return sorted(matches, key=lambda match: (order[match.kind], match.unit.serial_key))


def unit_lookup_ids(number: str) -> list[int]:
    """The ids of the units ``number`` names (for a filter: a customer who owns one of them)."""
    key = identifier_key(number)
    if not key or "\x00" in key:
        return []
    ids: list[int] = []
    for finder in finders():
        ids.extend(unit_id for unit_id, _stored in list(finder.find(key))[:LIMIT])
    return ids


def _by_field(field: str, shown: str):
    def find(key):
        return ProductUnit.objects.filter(**{field: key}).values_list("pk", shown)[:LIMIT]

    return find


def _by_component(key):
    from .models import UnitComponent

    return UnitComponent.objects.filter(serial=key).values_list("unit_id", "serial")[:LIMIT]


register_finder("serial", _("serial"), _by_field("serial_key", "serial"), order=10)
register_finder("sale_invoice", _("sale invoice no."), _by_field("sale_invoice_key", "sale_invoice_no"), order=30)
register_finder("delivery_note", _("delivery note no."), _by_field("delivery_note_key", "delivery_note_no"), order=40)
register_finder("subscription", _("subscription no."), _by_field("subscription_key", "subscription_no"), order=50)
register_finder("component", _("component serial"), _by_component, order=90)
