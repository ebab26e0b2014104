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


def audit_trail(instance, limit: int = 50) -> list[AuditEntry]:
    """Return the changes to ``instance``, newest first, each with who, when and what changed."""
    records = list(instance.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        changes = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = instance._meta.get_field(change.field)
                changes.append((str(field.verbose_name), change.old, change.new))
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
