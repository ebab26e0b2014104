"""Serve by any number (F25, F35; issue 20): one lookup finds a unit by whatever number the customer
brings — its serial, sale invoice, delivery note or subscription number here; apps above register theirs
(warranty: the warranty card; later sales: the contract) — typed with any digits and separators.

The lookup is used by the reception desk, the units list, the customer search and
``GET /api/units/lookup/``. Each finder is one exact index lookup on a key column, so the lookup stays a
handful of index reads among millions of units. A number may name several units (one invoice for three
units): every match is returned, for the user to choose from.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
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
    find: Callable[[str], Iterable[tuple]]
    order: int = 100
    #: ``find`` returns (unit id, kind, number) triples for several kinds at once (one query).
    kinds: tuple = ()


@dataclass(frozen=True)
class Match:
    """A unit a number names, by which kind of number (``kind``/``label``) and that number as stored."""

    unit: ProductUnit
    kind: str
    label: str | Promise
    number: str


_FINDERS: dict[str, Finder] = {}
_LABELS: dict[str, object] = {}


def register_finder(kind: str, label, find, *, order: int = 100) -> None:
    """Let the lookup find units by another kind of number (an app above the catalog: cards, contracts)."""
    _FINDERS[kind] = Finder(kind, label, find, order)
    _LABELS[kind] = label


def _register_kinds(name: str, kinds: dict, find, *, order: int) -> None:
    """Several kinds of number found by one query (the unit's own columns), in the order given."""
    _FINDERS[name] = Finder(name, "", find, order, tuple(kinds))
    _LABELS.update(kinds)


def finders() -> list[Finder]:
    return sorted(_FINDERS.values(), key=lambda finder: finder.order)


def _kind_order() -> list[str]:
    return [kind for finder in finders() for kind in (finder.kinds or (finder.kind,))]


def _found(key: str):
    """(unit id, kind, number as stored) of every finder, at most ``LIMIT`` a finder."""
    for finder in finders():
        for row in list(finder.find(key))[:LIMIT]:
            yield row if finder.kinds else (row[0], finder.kind, row[1])


def unit_lookup(number: str, *, units=None) -> list[Match]:
    """The units ``number`` names, by every kind of number, each unit once (its first kind wins);
    ``units`` narrows them (a scoped queryset). An empty number finds nothing."""
    key = identifier_key(number)
    if not key or "\x00" in key:  # PostgreSQL takes no NUL in a string
        return []
    order = {kind: index for index, kind in enumerate(_kind_order())}
    found: dict[int, tuple[str, str]] = {}
    for unit_id, kind, stored in sorted(_found(key), key=lambda row: order[row[1]]):
        found.setdefault(unit_id, (kind, stored))
    if not found:
        return []
    queryset = ProductUnit.objects.all() if units is None else units
    rows = queryset.filter(pk__in=list(found)[:LIMIT]).select_related("product_model", "brand", "owner")
    matches = [Match(unit, found[unit.pk][0], _LABELS[found[unit.pk][0]], found[unit.pk][1]) for unit in rows]
    return sorted(matches, key=lambda match: (order[match.kind], match.unit.serial_key))


def unit_lookup_ids(number: str) -> list[int]:
    """The ids of the units ``number`` names (for a filter: a customer who owns one of them)."""
    key = identifier_key(number)
    if not key or "\x00" in key:
        return []
    return list(dict.fromkeys(unit_id for unit_id, _kind, _stored in _found(key)))


#: The unit's own numbers: its key column, the stored column, the kind.
_OWN = [("serial_key", "serial", "serial"), ("sale_invoice_key", "sale_invoice_no", "sale_invoice"),
        ("delivery_note_key", "delivery_note_no", "delivery_note"), ("subscription_key", "subscription_no", "subscription")]


@functools.cache
def _statements() -> tuple[str, str]:
    """The two lookups of the catalog's own numbers as SQL, built once from the models (reception runs
    them on every unit it receives; the ORM spent more time building them than the database answering)."""
    from .models import UnitComponent

    quote = connection.ops.quote_name
    unit, component = ProductUnit._meta, UnitComponent._meta
    columns = [unit.get_field(name).column for key_field, shown, _kind in _OWN for name in (key_field, shown)]
    # No ORDER BY: with the model's ordering (newest first) and a LIMIT, PostgreSQL walks the primary key
    # backwards through every unit when nothing matches (317 ms at a million units) instead of the key
    # indexes; the ORs of the key columns it answers from their indexes.
    own = (f"SELECT {quote(unit.pk.column)}, {', '.join(quote(column) for column in columns)} "
           f"FROM {quote(unit.db_table)} WHERE "
           + " OR ".join(f"{quote(unit.get_field(key_field).column)} = %s" for key_field, _shown, _kind in _OWN)
           + f" LIMIT {LIMIT}")
    serial = quote(component.get_field("serial").column)
    by_component = (f"SELECT {quote(component.get_field('unit').column)}, {serial} "
                    f"FROM {quote(component.db_table)} WHERE {serial} = %s LIMIT {LIMIT}")
    return own, by_component


def _by_own_numbers(key):
    """One query over the unit's indexed key columns (PostgreSQL ORs the indexes), then which one matched."""
    with connection.cursor() as cursor:
        cursor.execute(_statements()[0], [key] * len(_OWN))
        rows = cursor.fetchall()
    for pk, *values in rows:
        for index, (_key_field, _shown, kind) in enumerate(_OWN):
            if values[2 * index] == key:
                yield pk, kind, values[2 * index + 1]


def _by_component(key):
    with connection.cursor() as cursor:
        cursor.execute(_statements()[1], [key])
        return cursor.fetchall()


_register_kinds("unit", {"serial": _("serial"), "sale_invoice": _("sale invoice no."),
                         "delivery_note": _("delivery note no."), "subscription": _("subscription no.")},
               _by_own_numbers, order=10)
register_finder("component", _("component serial"), _by_component, order=90)
