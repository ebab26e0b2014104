"""Human-friendly document numbers: ``1405-000123`` per scope (center), document type and Jalali year."""

import datetime

from django.db import transaction

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
    key = {"scope": scope, "document_type": document_type, "jalali_year": year}
    # Create the row if missing without failing when another transaction creates it at the same time.
    DocumentSequence.objects.bulk_create([DocumentSequence(**key)], ignore_conflicts=True)
    sequence = DocumentSequence.objects.select_for_update().get(**key)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{year}-{sequence.last_number:06d}"
