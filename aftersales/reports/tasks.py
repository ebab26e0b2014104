from celery import shared_task


@shared_task(name="reports.subscriptions")
def send_subscriptions() -> int:
    """Mail the reports subscribed for today (F23); runs hourly, each subscription at most once a day."""
    from .services import subscriptions_send_due

    return subscriptions_send_due()


@shared_task(name="reports.failure_alerts")
def failure_alerts() -> int:
    """Flag the models and batches failing this month well above their history (the early warning);
    runs nightly and replaces this month's alerts."""
    from .warnings import failure_alerts_compute

    return len(failure_alerts_compute())
