"""Writing a row that carries a unique key, in one statement, when the key may have been written before.

The ORM's way — insert in a savepoint, catch the unique violation, read the row written before — costs
two extra round trips (the savepoint and its release) on every write, though the key is almost never
there (issue 21: the reception's outbox message). ``insert_unless_exists`` asks the database instead:
``INSERT … ON CONFLICT (key) DO NOTHING RETURNING pk`` (PostgreSQL and SQLite alike). A key already
there is not an error, so the caller's transaction goes on without a savepoint; on PostgreSQL a
concurrent writer of the same key is waited for, and the row it committed counts as there.
"""

import functools

from django.db import connection
from django.db.models import AutoField


@functools.cache
def _statement(model, unique_field: str | None) -> tuple[str, tuple]:
    meta = model._meta
    if not isinstance(meta.pk, AutoField):  # BigAutoField is one too: the database gives the pk
        raise TypeError(f"{meta.label}: a prebuilt insert needs a primary key the database generates")
    quote = connection.ops.quote_name
    conflict = ""
    if unique_field is not None:
        key = meta.get_field(unique_field)
        if not key.unique:
            raise TypeError(f"{meta.label}.{unique_field} is not unique")
        conflict = f" ON CONFLICT ({quote(key.column)}) DO NOTHING"
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}){conflict} RETURNING {quote(meta.pk.column)}")
    return sql, fields


def _insert(instance, unique_field: str | None) -> bool:
    sql, fields = _statement(type(instance), unique_field)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding, instance._state.db = False, connection.alias
    return True


def insert_unless_exists(instance, *, unique_field: str) -> bool:
    """Insert ``instance`` unless a row with its ``unique_field`` value exists: True (and its pk set)
    when written, False when the key was there (nothing written). Sends no signals: only for models
    whose saves have no receivers and keep no history."""
    return _insert(instance, unique_field)


def insert_row(instance):
    """Insert the new ``instance`` in a statement built once for its model (the ORM's insert costs a few
    tenths of a millisecond of Python each time: issue 21). Sends no signals: only for models whose saves
    have no receivers and keep no history. Returns ``instance``, its pk set."""
    _insert(instance, None)
    return instance
