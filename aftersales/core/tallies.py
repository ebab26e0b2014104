"""Counters kept beside the records for the reports (a center's day, a model's units sold…).

``tally_add(Model, key, delta)`` adds ``delta`` to the counters of the row of ``key`` and creates the
row when there is none; two writers at once both count, whatever order their transactions commit in.
Where the model has a plain unique constraint on exactly the key's fields, that is one
``INSERT … ON CONFLICT … DO UPDATE SET n = n + d`` (PostgreSQL and SQLite alike: one round trip,
and a few times cheaper than the ORM's update on the hot paths such as reception; issue 21); else
``UPDATE … SET n = n + d``, then an insert when no row was there.
"""

import functools

from django.db import IntegrityError, connection, transaction
from django.db.models import F, UniqueConstraint


@functools.cache
def _upsert(model, key_names: tuple[str, ...], delta_names: tuple[str, ...]) -> str | None:
    """The upsert statement for these key and counter fields, or None without a plain unique constraint
    on exactly the key (a partial one needs its condition repeated: the ORM path handles those)."""
    meta = model._meta
    key_fields = {meta.get_field(name).name for name in key_names}
    if not any(isinstance(constraint, UniqueConstraint) and constraint.condition is None
               and not constraint.expressions and set(constraint.fields) == key_fields
               for constraint in meta.constraints):
        return None
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [quote(field.column) for field in meta.concrete_fields if not field.primary_key]
    counters = [quote(meta.get_field(name).column) for name in delta_names]
    conflict = ", ".join(quote(meta.get_field(name).column) for name in key_names)
    updates = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in counters)
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")


def _values(model, key: dict, delta: dict) -> list:
    values, given = [], {**key, **delta}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = given.get(field.attname, given.get(field.name, field.get_default()))
        values.append(field.get_db_prep_save(value, connection))
    return values


def tally_add(model, key: dict, delta: dict) -> None:
    delta = {field: value for field, value in delta.items() if value}
    if not delta:
        return
    statement = _upsert(model, tuple(key), tuple(delta)) if None not in key.values() else None
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(statement, _values(model, key, delta))
        return
    rows = model.objects.filter(**key)
    if rows.update(**{field: F(field) + value for field, value in delta.items()}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **delta)
    except IntegrityError:  # another writer created the row a moment ago
        rows.update(**{field: F(field) + value for field, value in delta.items()})
