"""Reads of the after-sales service contracts' coverage: which contract covers a unit, a contract's units."""

import datetime
import functools

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from aftersales.catalog.identifiers import identifier_key
from aftersales.organization.scoping import scope_queryset

from .models import Contract, ContractUnit


def _covering(on: datetime.date) -> QuerySet:
    return (ContractUnit.objects.filter(contract__kind=Contract.Kind.SERVICE, contract__status=Contract.Status.ACTIVE,
                                        contract__start_date__lte=on, contract__end_date__gte=on)
            .select_related("contract", "contract__customer", "contract__center", "unit", "unit__product_model"))


def service_contract_for(unit, on: datetime.date | None = None, *, user=None) -> ContractUnit | None:
    """The active after-sales service contract covering ``unit`` on ``on`` (today), as its unit row;
    with ``user``, only a contract of the user's centers."""
    rows = _covering(on or timezone.localdate()).filter(unit=unit)
    if user is not None:
        rows = scope_queryset(rows, user)
    return rows.order_by("-contract__end_date", "-pk").first()


def contract_units(*, user, contract: Contract, query: str = "") -> QuerySet:
    """The units under ``contract`` the user may see, by serial; ``query`` finds serials containing it."""
    rows = scope_queryset(ContractUnit.objects.filter(contract=contract), user)
    key = identifier_key(query.replace("\x00", ""))
    if key:
        rows = rows.filter(unit__serial_key__contains=key)
    return rows.select_related("unit", "unit__product_model", "unit__owner").order_by("unit__serial_key", "pk")


def service_contracts_of_unit(*, user, unit) -> QuerySet:
    """Every service contract (active or not) that covers or covered ``unit``, of the user's centers, newest first."""
    return (scope_queryset(ContractUnit.objects.filter(unit=unit, contract__kind=Contract.Kind.SERVICE), user)
            .select_related("contract", "contract__customer").order_by("-contract__end_date", "-pk"))


def service_contracts_by_number(*, user, number: str) -> QuerySet:
    """The user's service contracts whose number is ``number`` typed any way (digits, dashes, spaces)."""
    key = identifier_key((number or "").replace("\x00", ""))
    if not key:
        return Contract.objects.none()
    ids = contract_ids_by_key(key)
    return scope_queryset(Contract.objects.filter(pk__in=ids), user).select_related("customer")


def contract_ids_by_key(key: str) -> list[int]:
    """The service contracts whose number's key (``identifier_key``) is ``key``.

    Contract numbers are few beside units (thousands, not millions) and are stored as issued, so the key
    is compared over the service contracts' numbers rather than kept in a column of its own.
    """
    sql, params = contract_candidates_select(key)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _named(key, cursor.fetchall())


@functools.cache
def _candidates_sql() -> str:
    quote, meta = connection.ops.quote_name, Contract._meta
    number = quote(meta.get_field("number").column)
    return (f"SELECT {quote(meta.pk.column)}, 'service_contract', {number} FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field('kind').column)} = %s AND {number} LIKE %s LIMIT 200")


def contract_candidates_select(key: str) -> tuple[str, list]:
    """The SQL of (pk, 'service_contract', number) of the service contracts whose number may be ``key``
    (its last four digits, in order: every separator the key dropped sat between the number's
    characters); ``_named`` keeps those whose number's key is ``key``. ``("", [])`` for a key
    without digits."""
    digits = "".join(ch for ch in key or "" if ch.isdigit())
    if not digits:
        return "", []
    return _candidates_sql(), [Contract.Kind.SERVICE, f"%{digits[-4:]}%"]


def _named(key: str, candidates) -> list[int]:
    return [pk for pk, _kind, number in candidates if identifier_key(number) == key]


def units_by_contract_number(key: str, candidates) -> list:
    """(unit id, 'service_contract', contract number) of the units under the active service contracts
    numbered ``key`` among ``candidates`` (the rows of ``contract_candidates_select``): the catalog's
    unit lookup finds a unit by its contract's number this way (serve by contract number)."""
    from aftersales.core.rowscope import current_request, request_user

    ids = _named(key, candidates)
    if not ids:
        return []
    rows = _covering(timezone.localdate()).filter(contract_id__in=ids)
    # A contract is its office's: at a desk only the user's offices' contracts name units; a public page
    # (no signed-in user) none. Commands and the worker, outside any request, see them all.
    if current_request.get() is not None:
        user = request_user()
        if user is None:
            return []
        rows = scope_queryset(rows, user)
    return [(unit_id, "service_contract", number)
            for unit_id, number in rows.order_by("unit_id").values_list("unit_id", "contract__number")[:50]]


def service_contract_list(*, user, query: str = "", active_only: bool = False) -> QuerySet:
    """The user's service contracts with their units' count; ``query`` is a contract's number or a
    covered unit's serial (any digits and separators)."""
    from django.db.models import Count, Q

    contracts = scope_queryset(Contract.objects.filter(kind=Contract.Kind.SERVICE), user)
    if active_only:
        today = timezone.localdate()
        contracts = contracts.filter(status=Contract.Status.ACTIVE, end_date__gte=today)
    key = identifier_key((query or "").replace("\x00", ""))
    if key:
        contracts = contracts.filter(Q(pk__in=contract_ids_by_key(key)) | Q(units__unit__serial_key=key)).distinct()
    return (contracts.select_related("customer").annotate(unit_count=Count("units", distinct=True))
            .order_by("-end_date", "-pk"))
