from celery import shared_task

from .services import periodic_reminders_send


@shared_task(name="warranty.periodic_reminders", ignore_result=True)
def periodic_reminders() -> int:
    """Remind owners of periodic services due soon; safe to run often (each visit is reminded once)."""
    return periodic_reminders_send()
