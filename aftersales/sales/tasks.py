from celery import shared_task

from .alarms import alarms_fire


@shared_task(name="sales.alarms", ignore_result=True)
def alarms() -> int:
    """Fire the contracts' and cheques' alarms whose time has come (run nightly by beat; a rerun fires none)."""
    return alarms_fire()


@shared_task(name="sales.alarms_announce", ignore_result=True)
def alarms_announce(ids: list[int]) -> int:
    """Send the alarms a pass wrote through the messaging rules of ``sales_alarm``."""
    from .alarms import alarms_announce_ids

    return alarms_announce_ids(ids)
