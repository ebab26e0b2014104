"""Serve by any number (F25, F35; issue 20): one lookup finds a unit by whatever number the customer
brings — its serial, sale invoice, delivery note or subscription number here; apps above register theirs
(warranty: the warranty card; later sales: the contract) — typed with any digits and separators.

The lookup is used by the reception desk, the units list, the customer search and
``GET /api/units/lookup/``. Each finder is one exact index lookup on a key column, so the lookup stays a
handful of index reads among millions of units; the finders that give their SQL are asked together in one
statement (reception looks a number up on every unit it receives: one round trip, not one a finder;
issue 21). A number may name several units (one invoice for three units): every match is returned, for
the user to choose from.
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
    """A kind of number and how to find the units it names, for the matching key
    (``identifiers.identifier_key`` of what was typed): either ``find(key)``, returning (unit id, the
    number as stored) pairs, or ``select(key)``, giving the SQL and parameters of a SELECT of (id, kind,
    number) rows — ``("", [])`` when the key cannot be a number of this kind — that the lookup asks in
    one statement with every other finder's; ``then(key, rows)`` turns those rows into (unit id, kind,
    number) triples when they are not that yet (candidates checked further)."""

    kind: str
    label: str | Promise
    find: Callable[[str], Iterable[tuple]] | None = None
    order: int = 100
    #: The kinds of number the finder's rows name (several kinds found at once); default its ``kind``.
    kinds: tuple = ()
    select: Callable[[str], tuple[str, list]] | None = None
    then: Callable[[str, list], Iterable[tuple]] | None = None


@dataclass(frozen=True)
class Match:
    """A unit a number names, by which kind of number (``kind``/``label``) and that number as stored."""

    unit: ProductUnit
    kind: str
    label: str | Promise
    number: str


_FINDERS: dict[str, Finder] = {}
_LABELS: dict[str, object] = {}


def register_finder(kind: str, label, find=None, *, order: int = 100, select=None, then=None) -> None:
    """Let the lookup find units by another kind of number (an app above the catalog: cards, contracts);
    ``find``, or ``select`` (and ``then``), as ``Finder`` describes them."""
    if (find is None) == (select is None):
        raise TypeError("a finder has either find or select")
    _FINDERS[kind] = Finder(kind, label, find, order, select=select, then=then)
    _LABELS[kind] = label


def _register_kinds(name: str, kinds: dict, select, *, order: int) -> None:
    """Several kinds of number found by one SELECT (the unit's own columns), in the order given."""
    _FINDERS[name] = Finder(name, "", None, order, tuple(kinds), select=select)
    _LABELS.update(kinds)


def finders() -> list[Finder]:
    return sorted(_FINDERS.values(), key=lambda finder: finder.order)


def _kind_order() -> list[str]:
    return [kind for finder in finders() for kind in (finder.kinds or (finder.kind,))]


def _selected(key: str) -> dict[str, list]:
    """The rows of every finder with a ``select``, asked in one statement, by the finder's ``kind``."""
    parts, params, owner = [], [], {}
    for finder in finders():
        if finder.select is None:
            continue
        sql, values = finder.select(key)
        if sql:
            parts.append(f"SELECT * FROM ({sql}) {connection.ops.quote_name(f'found{len(parts)}')}")
            params += values
            owner.update({kind: finder.kind for kind in finder.kinds or (finder.kind,)})
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    selected: dict[str, list] = {}
    for row in rows:
        selected.setdefault(owner[row[1]], []).append(tuple(row))
    return selected


def _found(key: str):
    """(unit id, kind, number as stored) of every finder, at most ``LIMIT`` a finder."""
    selected = _selected(key)
    for finder in finders():
        if finder.select is not None:
            rows = selected.get(finder.kind, [])
            rows = finder.then(key, rows) if finder.then is not None else rows
            yield from list(rows)[:LIMIT]
        else:
            for unit_id, stored in list(finder.find(key))[:LIMIT]:
                yield unit_id, finder.kind, stored


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


def exact_select(model, key_field: str, kind: str, shown_field: str, unit_field: str = "") -> str:
    """``SELECT <unit id>, '<kind>', <shown> FROM <table> WHERE <key> = %s LIMIT …``, for a finder's
    ``select``: ``unit_field`` names the unit's foreign key (default: the row is the unit)."""
    quote, meta = connection.ops.quote_name, model._meta
    unit = meta.get_field(unit_field).column if unit_field else meta.pk.column
    if not kind.isidentifier():  # written into the statement: a word of the code, never user input
        raise ValueError(kind)
    return (f"SELECT {quote(unit)}, '{kind}', {quote(meta.get_field(shown_field).column)} "
            f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field(key_field).column)} = %s LIMIT {LIMIT}")


@functools.cache
def _statements() -> tuple[str, str]:
    """The catalog's own lookups as SQL, built once from the models (reception runs them on every unit
    it receives; the ORM spent more time building them than the database answering). No ORDER BY: with
    the model's ordering (newest first) and a LIMIT, PostgreSQL walks the primary key backwards through
    every unit when nothing matches (317 ms at a million units) instead of the key indexes."""
    from .models import UnitComponent

    own = " UNION ALL ".join(f"SELECT * FROM ({exact_select(ProductUnit, key_field, kind, shown)}) {connection.ops.quote_name(kind)}"
                             for key_field, shown, kind in _OWN)
    return own, exact_select(UnitComponent, "serial", "component", "serial", "unit")


def _by_own_numbers(key):
    """Each key column of the unit, looked up by its index."""
    return _statements()[0], [key] * len(_OWN)


def _by_component(key):
    return _statements()[1], [key]


_register_kinds("unit", {"serial": _("serial"), "sale_invoice": _("sale invoice no."),
                         "delivery_note": _("delivery note no."), "subscription": _("subscription no.")},
               _by_own_numbers, order=10)
register_finder("component", _("component serial"), select=_by_component, order=90)
