"""Counters kept beside the records for the reports (a center's day, a model's units sold…).

``tally_add(Model, key, delta)`` adds ``delta`` to the counters of the row of ``key`` with
``UPDATE … SET n = n + d`` and creates the row when there is none; two writers at once both count,
whatever order their transactions commit in.
"""

from django.db import IntegrityError, transaction
from django.db.models import F


def tally_add(model, key: dict, delta: dict) -> None:
    delta = {field: value for field, value in delta.items() if value}
    if not delta:
        return
    rows = model.objects.filter(**key)
    if rows.update(**{field: F(field) + value for field, value in delta.items()}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **delta)
    except IntegrityError:  # another writer created the row a moment ago
        rows.update(**{field: F(field) + value for field, value in delta.items()})
