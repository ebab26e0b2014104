from celery import shared_task

from .services import campaigns_run_due


@shared_task(name="marketing.campaigns_due", ignore_result=True)
def campaigns_due() -> int:
    """Queue the messages of every campaign whose time has come (run every few minutes by beat)."""
    return campaigns_run_due()
