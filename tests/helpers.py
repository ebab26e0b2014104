"""Assertions shared by the suite.

``nothing_written()`` wraps a refused write (a 403, a 400, a form error, a ValidationError from a service)
and asserts the database is as it was: the row count and highest key of every product table (history and
audit tables included, so an update through a service, which leaves a history row, shows too), and the
values of any records named. The technique is the leak matrix's (tests/security/test_leak_matrix.py).
"""

import contextlib
import json

from django.apps import apps
from django.db import connection

#: Tables a refused request may rightly touch: sessions, login attempts, per-address rate counters.
UNWATCHED_APPS = {"sessions", "axes", "otp_static", "otp_totp", "contenttypes"}
UNWATCHED_MODELS = {"core.RateCounter"}


def _tables() -> list[tuple[str, str, str]]:
    tables = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.app_label in UNWATCHED_APPS or opts.label in UNWATCHED_MODELS:
            continue
        tables.append((opts.label, opts.db_table, opts.pk.column))
    return tables


def database_snapshot(*records) -> dict:
    """Row count and highest key of every watched table (one query), and each record's stored values."""
    quote = connection.ops.quote_name
    tables = _tables()
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(table)}), (SELECT MAX({quote(pk)}) FROM {quote(table)})"
        for _label, table, pk in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    snapshot = {label: (row[2 * index], str(row[2 * index + 1])) for index, (label, _t, _p) in enumerate(tables)}
    for record in records:
        values = type(record)._base_manager.filter(pk=record.pk).values().first()
        snapshot[f"{record._meta.label}#{record.pk}"] = json.dumps(values, default=str, sort_keys=True)
    return snapshot


def snapshot_changes(before: dict, after: dict) -> list[str]:
    return [f"{key}: {before.get(key)} → {after.get(key)}"
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


@contextlib.contextmanager
def nothing_written(*records):
    """Assert that the block writes nothing: no row added or removed in any product table (history and
    audit rows included) and none of ``records`` changed. Exceptions of the block pass through, so it
    nests around ``pytest.raises``: ``with nothing_written(order), pytest.raises(ValidationError): ...``."""
    before = database_snapshot(*records)
    yield
    changes = snapshot_changes(before, database_snapshot(*records))
    assert not changes, "a refused write changed the database: " + "; ".join(changes)


@contextlib.contextmanager
def rows_written():
    """Count what the block writes: yields a dict filled on exit with each table's change in rows
    (``{"billing.Payment": 1, ...}``), for asserting that a write wrote exactly what it should."""
    written = {}
    before = database_snapshot()
    yield written
    after = database_snapshot()
    written.update({label: after[label][0] - before[label][0] for label in after if after[label][0] != before[label][0]})


def xlsx_upload(header, rows, name: str = "file.xlsx"):
    """An uploaded Excel file: a header row (none if empty), then the rows, as a user's upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
