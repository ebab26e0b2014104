"""Human-friendly document numbers: ``1405-000123`` per scope (center), document type and Jalali year."""

import datetime

from django.db import connection, transaction

from .jalali import jalali_year
from .models import DocumentSequence


def next_document_number(*, scope: str, document_type: str, on: datetime.date | None = None) -> str:
    """Take the next number for a document and return it as ``YYYY-NNNNNN`` (Jalali year).

    Must run inside the transaction that saves the document: the sequence row stays locked
    until it commits, and a rollback returns the number, so the series has no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_document_number must be called inside transaction.atomic()")
    year = jalali_year(on)
    # One statement creates the row or takes the next number, and keeps the row locked until commit
    # (PostgreSQL and SQLite ≥ 3.35 both speak INSERT … ON CONFLICT … RETURNING).
    table = DocumentSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, document_type, jalali_year, last_number) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, document_type, jalali_year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [scope, document_type, year],
        )
        number = cursor.fetchone()[0]
    return f"{year}-{number:06d}"
