"""The cartable's reminders of the CRM: next steps and appointments due today (F56)."""

from aftersales.organization.dashboard import Panel, register_panel


def reminders_panel(user) -> dict | None:
    """The user's parties whose next step is due today or overdue and their appointments today; hidden
    for users without the CRM and when nothing is due."""
    if not user.has_perm("crm.view_party"):
        return None
    from .day import reminders_due

    reminders = reminders_due(user)
    if not reminders["step_count"] and not reminders["appointment_count"]:
        return None
    return reminders


def register() -> None:
    register_panel(Panel("crm_due_today", "crm/partials/day_reminders.html", reminders_panel, order=12))
