from celery import shared_task

from .models import ImportJob
from .services import import_job_check, import_job_commit


@shared_task(name="imports.check")
def import_check(job_id: int) -> str:
    return import_job_check(ImportJob.objects.get(pk=job_id)).status


@shared_task(name="imports.commit")
def import_commit(job_id: int) -> str:
    return import_job_commit(ImportJob.objects.get(pk=job_id)).status
