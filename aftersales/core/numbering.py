"""Human-friendly document numbers: ``1405-000123`` per scope (center), document type and Jalali year.

A number is gap-free: the sequence row stays locked from the moment a number is taken until the
transaction ends, and a rollback gives the number back. Every other writer of the same scope (the
clerks of one center) waits on that lock, so a service takes the number as its *last* write: it saves
the document under a ``provisional_number()``, does all its other work (the customer, the warranty,
history, the workflow log, the outbox message) and then calls ``document_number_assign``, which holds
the lock only for the moment before commit. Numbers then also run in commit order (issue 21).
"""

import datetime
import secrets

from django.db import connection, transaction

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
