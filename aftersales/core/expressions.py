"""Database expressions the reports (and the summaries the services keep for them) need on both PostgreSQL and SQLite.

``Seconds(later, earlier)`` is the seconds between two datetimes; ``Percentile(expression, 0.9)`` is
PostgreSQL's ``percentile_cont`` and, on SQLite (the embedded default), the same aggregate written
in Python and registered on each new connection, so a 90th percentile is computed where the rows
are in both. A condition goes into the expression (``Case(When(…, then=…))``): NULLs are skipped.
"""

import contextlib
import math

from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField, Func


class Seconds(Func):
    output_field = FloatField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        # date_part gives a double; EXTRACT a numeric, which a million-value percentile sorts 20 % slower.
        return self.as_sql(compiler, connection, template="date_part('epoch', %(expressions)s)",
                           arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
                           arg_joiner=") - julianday(", **extra)


class Percentile(Aggregate):
    name = "percentile"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"percentile_cont({self.fraction}) WITHIN GROUP (ORDER BY {sql})", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"aftersales_percentile({sql}, {self.fraction})", params


class _PercentileCont:
    """percentile_cont for SQLite: linear interpolation between the closest ranks, NULLs ignored."""

    def __init__(self):
        self.values, self.fraction = [], 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        position = (len(values) - 1) * self.fraction
        low, high = math.floor(position), math.ceil(position)
        return values[low] + (values[high] - values[low]) * (position - low)


def _register_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("aftersales_percentile", 2, _PercentileCont)


connection_created.connect(_register_sqlite, dispatch_uid="core-sqlite-percentile")


@contextlib.contextmanager
def sort_memory(megabytes: int = 128):
    """Run the block in a transaction whose sorts may use ``megabytes`` of memory on PostgreSQL (a
    percentile sorts every value of the period: at a million hand-backs the default 4 MB spills to disk
    and steers the planner to a slow index walk) and whose queries are not JIT-compiled (the compiling
    costs a big report query 0.1–0.2 s and wins nothing back). SQLite sorts in memory anyway."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{int(megabytes)}MB'")
                cursor.execute("SET LOCAL jit = off")
        yield


def with_grand_total(queryset, key: str) -> tuple[list[dict], dict | None]:
    """The rows of ``queryset`` (a ``values(key).annotate(…)`` with no ordering) and, on PostgreSQL, its
    grand total computed in the same pass (``GROUP BY ROLLUP``: a percentile of every row sorts them once,
    not twice); elsewhere the total is None and the caller aggregates it apart."""
    sql, params = queryset.query.sql_with_params()
    head, found, grouping = sql.rpartition(" GROUP BY ")
    if connection.vendor != "postgresql" or not found or any(word in grouping for word in ("ORDER BY", "HAVING", "(")):
        return list(queryset), None
    with connection.cursor() as cursor:
        cursor.execute(f"{head} GROUP BY ROLLUP ({grouping})", params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor.fetchall()]
    total = next((row for row in rows if row[key] is None), None)
    return [row for row in rows if row[key] is not None], total
