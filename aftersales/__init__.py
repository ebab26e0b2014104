"""After-sales service and CRM for Iranian manufacturers and their service centers."""

from .celery import app as celery_app

__all__ = ["celery_app"]
