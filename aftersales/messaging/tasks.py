import time

from celery import shared_task

from . import dispatch as outbox


@shared_task(name="messaging.dispatch", ignore_result=True)
def dispatch() -> int:
    """Send what is due; a run stops after a few minutes so that a huge campaign never blocks the queue."""
    return outbox.dispatch_due(deadline=time.monotonic() + 240)


@shared_task(name="messaging.poll", ignore_result=True)
def poll() -> None:
    from .mailbox import poll_mailbox

    outbox.poll_statuses()
    outbox.poll_inbox()
    poll_mailbox()
