from celery import shared_task
from django.db import connection


@shared_task(name="core.ping")
def ping() -> str:
    """Answer from inside the worker with the database checked; used by ``/healthz?worker=1``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "pong"
