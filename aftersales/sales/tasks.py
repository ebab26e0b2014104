from celery import shared_task

from .alarms import alarms_fire


@shared_task(name="sales.alarms", ignore_result=True)
def alarms() -> int:
    """Fire the contracts' and cheques' alarms whose time has come (run nightly by beat; a rerun fires none)."""
    return alarms_fire()
