"""Human-friendly document numbers: ``1405-000123`` per scope (center), document type and Jalali year.

A number is gap-free: the sequence row stays locked from the moment a number is taken until the
transaction ends, and a rollback gives the number back. Every other writer of the same scope (the
clerks of one center) waits on that lock, so a service takes the number as its *last* write: it saves
the document under a ``provisional_number()``, does all its other work (the customer, the warranty,
history, the workflow log, the outbox message) and then calls ``document_number_assign``, which holds
the lock only for the moment before commit. Numbers then also run in commit order (issue 21).

A document that is written once and never before its number (a repair order at reception) can go
further: ``document_pk_reserve`` gives its primary key first, so that the rows pointing at it can be
written, and ``document_insert_numbered`` inserts it with its number (and its history row) in the last
statement: on PostgreSQL one round trip instead of an INSERT early and an UPDATE of every index late.
Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED on PostgreSQL
and SQLite), so rows pointing at the document may come first.
"""

import datetime
import functools
import secrets

from django.db import connection, transaction
from django.utils import timezone

from .jalali import jalali_year
from .models import DocumentSequence


_UPSERT = ("INSERT INTO {table} (scope, document_type, jalali_year, last_number) VALUES (%s, %s, %s, 1) "
           "ON CONFLICT (scope, document_type, jalali_year) DO UPDATE SET last_number = {table}.last_number + 1 "
           "RETURNING last_number")


def _in_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside transaction.atomic()")


def _formatted(year: int, number: int) -> str:
    return f"{year}-{number:06d}"


def next_document_number(*, scope: str, document_type: str, on: datetime.date | None = None) -> str:
    """Take the next number for a document and return it as ``YYYY-NNNNNN`` (Jalali year).

    Must run inside the transaction that saves the document: the sequence row stays locked
    until it commits, and a rollback returns the number, so the series has no gaps.
    """
    _in_transaction("next_document_number")
    year = jalali_year(on)
    # One statement creates the row or takes the next number, and keeps the row locked until commit
    # (PostgreSQL and SQLite ≥ 3.35 both speak INSERT … ON CONFLICT … RETURNING).
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=DocumentSequence._meta.db_table), [scope, document_type, year])
        number = cursor.fetchone()[0]
    return _formatted(year, number)


#: A provisional number starts with this; it is never committed (``document_number_assign`` replaces it).
PROVISIONAL_PREFIX = "~"


def provisional_number() -> str:
    """A unique stand-in for a document's number until ``document_number_assign`` writes the real one."""
    return PROVISIONAL_PREFIX + secrets.token_hex(6)


def document_number_assign(document, *, scope: str, document_type: str, on: datetime.date | None = None,
                           field: str = "number") -> str:
    """Take the next number for a saved ``document`` and write it there: call it as the last write of
    the transaction, after everything else the document needs (see the module's docstring).

    The document's row and, for a model with history (django-simple-history), the history rows written
    under its provisional number in this transaction get the number, so the audit trail never shows
    the stand-in. On PostgreSQL that is one statement (the sequence's lock is then held for one round
    trip and the commit); elsewhere three. Returns the number, also set on ``document``.
    """
    _in_transaction("document_number_assign")
    provisional = getattr(document, field)
    model = type(document)
    history = getattr(model._meta, "simple_history_manager_attribute", None)
    historical = getattr(model, history).model if history and provisional.startswith(PROVISIONAL_PREFIX) else None
    if connection.vendor == "postgresql":
        year, quote = jalali_year(on), connection.ops.quote_name
        table, column, pk = (quote(model._meta.db_table), quote(model._meta.get_field(field).column),
                             quote(model._meta.pk.column))
        rewrite_history = (f", history AS (UPDATE {quote(historical._meta.db_table)} SET {column} = (SELECT number "
                           f"FROM document) WHERE {pk} = %s AND {column} = %s)") if historical else ""
        with connection.cursor() as cursor:
            # The number formatted as ``_formatted`` does: six digits at least.
            cursor.execute(
                f"WITH taken AS ({_UPSERT.format(table=quote(DocumentSequence._meta.db_table))}), "
                f"document AS (UPDATE {table} SET {column} = %s || CASE WHEN taken.last_number < 1000000 "
                "THEN lpad(taken.last_number::text, 6, '0') ELSE taken.last_number::text END FROM taken "
                f"WHERE {table}.{pk} = %s RETURNING {column} AS number){rewrite_history} SELECT number FROM document",
                [scope, document_type, year, f"{year}-", document.pk]
                + ([document.pk, provisional] if historical else []),
            )
            number = cursor.fetchone()[0]
    else:
        number = next_document_number(scope=scope, document_type=document_type, on=on)
        model._default_manager.filter(pk=document.pk).update(**{field: number})
        if historical is not None:
            historical._default_manager.filter(**{model._meta.pk.attname: document.pk, field: provisional}).update(
                **{field: number})
    setattr(document, field, number)
    return number


def document_pk_reserve(model) -> int:
    """Take the primary key the next row of ``model`` would get, for ``document_insert_numbered``.

    PostgreSQL: the value of the table's identity sequence (never handed out twice, even if this
    transaction rolls back). SQLite: the table's AUTOINCREMENT counter, incremented in this transaction
    (SQLite has one writer at a time, so nobody else takes it meanwhile).
    """
    _in_transaction("document_pk_reserve")
    meta, quote = model._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [quote(meta.db_table), meta.pk.column])
        else:
            cursor.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, (SELECT COALESCE(MAX({quote(meta.pk.column)}), 0) "
                           f"FROM {quote(meta.db_table)}) WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                           [meta.db_table, meta.db_table])
            cursor.execute("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq", [meta.db_table])
        return cursor.fetchone()[0]


@functools.cache
def _numbered_insert(model, field: str) -> tuple[str, tuple, bool]:
    """The PostgreSQL statement of ``document_insert_numbered`` for ``model``, the fields it takes values
    of, and whether it writes a history row."""
    meta, quote = model._meta, connection.ops.quote_name
    column = quote(meta.get_field(field).column)
    fields = tuple(f for f in meta.concrete_fields if f.name != field)
    columns = [quote(f.column) for f in fields]
    sql = (f"WITH taken AS ({_UPSERT.format(table=quote(DocumentSequence._meta.db_table))}), "
           f"document AS (INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}, {column}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}, (SELECT %s || CASE WHEN taken.last_number < 1000000 "
           "THEN lpad(taken.last_number::text, 6, '0') ELSE taken.last_number::text END FROM taken)) "
           f"RETURNING {', '.join(columns)}, {column})")
    history = getattr(meta, "simple_history_manager_attribute", None)
    if history:
        historical = getattr(model, history).model._meta
        kept = {f.column for f in historical.concrete_fields}  # less the history's excluded_fields
        copied = ", ".join([*(quote(f.column) for f in fields if f.column in kept), column])
        # The history's own columns, typed: a bare parameter in a SELECT list would be taken as text.
        extra = [historical.get_field(name) for name in ("history_date", "history_change_reason", "history_user")]
        sql += (f", history AS (INSERT INTO {quote(historical.db_table)} ({copied}, "
                f"{', '.join(quote(f.column) for f in extra)}, history_type) SELECT {copied}, "
                + ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in extra) + ", '+' FROM document)")
    return sql + f" SELECT {column} FROM document", fields, bool(history)


def document_insert_numbered(document, *, scope: str, document_type: str, on: datetime.date | None = None,
                             field: str = "number", history_user=None, history_reason: str | None = None) -> str:
    """Insert the unsaved ``document`` (its pk from ``document_pk_reserve``) with the next number of
    ``scope`` as the last write of the transaction; for a model with history (django-simple-history)
    its "created" history row too, by ``history_user``. One statement on PostgreSQL, so the number's
    lock is held for one round trip and the commit. Sends no ``post_save``: only for models whose
    saves have no receivers but the history's. Returns the number, also set on ``document``.
    """
    _in_transaction("document_insert_numbered")
    if document.pk is None:
        raise ValueError("document_insert_numbered needs the pk from document_pk_reserve")
    if connection.vendor != "postgresql":
        setattr(document, field, next_document_number(scope=scope, document_type=document_type, on=on))
        document._history_user = history_user
        if history_reason:
            document._change_reason = history_reason
        document.save(force_insert=True)
        return getattr(document, field)
    sql, fields, has_history = _numbered_insert(type(document), field)
    year = jalali_year(on)
    values = [f.get_db_prep_save(f.pre_save(document, True), connection) for f in fields]
    history = [timezone.now(), history_reason, getattr(history_user, "pk", None)] if has_history else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, document_type, year, *values, f"{year}-", *history])
        number = cursor.fetchone()[0]
    setattr(document, field, number)
    document._state.adding, document._state.db = False, connection.alias
    return number
