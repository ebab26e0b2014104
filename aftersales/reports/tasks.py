from celery import shared_task


@shared_task(name="reports.subscriptions")
def send_subscriptions() -> int:
    """Mail the reports subscribed for today (F23); runs hourly, each subscription at most once a day."""
    from .services import subscriptions_send_due

    return subscriptions_send_due()
