"""Reading the audit trail that django-simple-history keeps for every business model."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class AuditEntry:
    at: datetime
    user: object
    action: str
    changes: list[tuple[str, object, object]]
    reason: str


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _shown(field, value, names: dict) -> str:
    """A changed value as a person reads it: «—» for nothing, yes/no, a choice's label, a related
    record's name (``names``: (model, pk) → name), a Jalali date, digits of the active language."""
    from django.db import models
    from django.utils.translation import gettext as _

    from . import jalali
    from .persian import localize_digits

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if field.is_relation and (field.many_to_one or field.one_to_one):
        return names.get((field.related_model, value), localize_digits(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and hasattr(value, "hour"):
        return jalali.format_datetime(value)
    if isinstance(field, models.DateField) and hasattr(value, "year"):
        return jalali.format_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return localize_digits(f"{value:,}".replace(",", "٬"))
    return str(value)


def _related_names(instance, deltas) -> dict:
    """The names of the related records the changes point at, one query per related model."""
    wanted: dict = {}
    for delta in deltas:
        for change in delta.changes:
            field = instance._meta.get_field(change.field)
            if field.is_relation and (field.many_to_one or field.one_to_one):
                for value in (change.old, change.new):
                    if value not in (None, ""):
                        wanted.setdefault(field.related_model, set()).add(value)
    names = {}
    for model, keys in wanted.items():
        for pk, record in model._base_manager.in_bulk(list(keys)).items():
            names[(model, pk)] = str(record)
    return names


def audit_trail(instance, limit: int = 50) -> list[AuditEntry]:
    """Return the changes to ``instance``, newest first, each with who, when and what changed (values
    as a person reads them: yes/no, names of related records, Jalali dates, «—» for nothing)."""
    records = list(instance.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    deltas = {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            deltas[index] = record.diff_against(previous)
    names = _related_names(instance, deltas.values())
    entries = []
    for index, record in enumerate(records[:limit]):
        changes = []
        if index in deltas:
            for change in deltas[index].changes:
                field = instance._meta.get_field(change.field)
                changes.append((str(field.verbose_name), _shown(field, change.old, names),
                                _shown(field, change.new, names)))
        entries.append(
            AuditEntry(
                at=record.history_date,
                user=record.history_user,
                action=_ACTIONS[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries
