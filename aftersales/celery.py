"""The background worker: ``celery -A aftersales worker``.

Settings prefixed ``CELERY_`` configure it; see ``settings/base.py`` for the broker choice.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.dev")

app = Celery("aftersales")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
