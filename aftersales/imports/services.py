"""The life of an import: upload → check (preview every row's errors) → commit all or nothing.

Checking and committing run in the background worker; progress goes to the shared cache so the
page can show a bar, and the job row keeps the outcome, so a reload loses nothing. Implements F05.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import ImportJob
from .reader import FileProblem, file_kind, read_rows

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 500
DB_CHECK_BATCH = 5000
PROGRESS_EVERY = 5000


def _progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def progress_set(job_id: int, phase: str, done: int, total: int | None = None) -> None:
    cache.set(_progress_key(job_id), {"phase": phase, "done": done, "total": total}, timeout=24 * 3600)


def progress_get(job_id: int) -> dict:
    return cache.get(_progress_key(job_id)) or {}


def _staging_path(job: ImportJob) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}.jsonl"


def import_job_create(*, kind: str, uploaded_file, acting_user) -> ImportJob:
    """Store an upload and queue its check; FileProblem for a file that cannot be an import."""
    importer = registry.get(kind)
    if importer.permission and not acting_user.has_perm(importer.permission):
        raise PermissionDenied
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if uploaded_file.size > limit:
        raise FileProblem(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(uploaded_file.size / 1024 / 1024, 1), "limit": settings.IMPORT_MAX_UPLOAD_MB}
        )
    if uploaded_file.size == 0:
        raise FileProblem(_("The file is empty."))
    head = uploaded_file.read(4096)
    uploaded_file.seek(0)
    file_kind(uploaded_file.name, head)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, file=uploaded_file, original_name=uploaded_file.name[:255], created_by=acting_user
        )
        from .tasks import import_check

        transaction.on_commit(lambda: import_check.delay(job.pk))
    return job


def import_job_check(job: ImportJob) -> ImportJob:
    """Read every row, collect every error (row, column, message), and stage the clean rows."""
    importer = registry.get(job.kind)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    errors, bad_rows, total = [], set(), 0
    # Row number by the hash of each key seen so far: a million keys fit in ~100 MB this way, where
    # keeping the keys themselves took 2.5 times that. A 64-bit collision among a million keys has
    # odds of about 1 in 30 million; it would show as a false "repeats row" error, never a lost row.
    seen: dict[int, int] = {}
    pending: list[tuple[object, int]] = []

    def add_error(row, column, message):
        bad_rows.add(row)
        if len(errors) < MAX_STORED_ERRORS:
            label = next((str(c.label) for c in importer.columns if c.key == column), column or "")
            errors.append({"row": row, "column": label, "message": str(message)})

    def check_database():
        existing = importer.existing_keys([key for key, _row in pending])
        for key, row in pending:
            if key in existing:
                add_error(row, importer.columns[0].key, _("Already registered; importing it again would create a duplicate."))
        pending.clear()

    path = Path(job.file.path)
    try:
        importer.prepare()
        with open(_staging_path(job), "w", encoding="utf-8") as staging:
            with open(path, "rb") as handle:
                kind = file_kind(job.original_name, handle.read(4096))
            for number, values, problems in read_rows(importer, path, kind):
                total += 1
                for column, message in problems:
                    add_error(number, column, message)
                clean, row_errors = importer.clean_row(values)
                for column, message in row_errors:
                    add_error(number, column, message)
                if clean is not None and not problems:
                    key = importer.key(clean)
                    fingerprint = hash(key)
                    if fingerprint in seen:
                        add_error(number, importer.columns[0].key,
                                  _("Repeats row %(row)s of this file.") % {"row": seen[fingerprint]})
                    else:
                        seen[fingerprint] = number
                        pending.append((key, number))
                        staging.write(importer.dump(clean) + "\n")
                if len(pending) >= DB_CHECK_BATCH:
                    check_database()
                if total % PROGRESS_EVERY == 0:
                    progress_set(job.pk, "checking", total)
            check_database()
        if total == 0:
            raise FileProblem(_("The file has a header row but no data rows."))
    except FileProblem as problem:
        errors, bad_rows = [{"row": None, "column": "", "message": str(problem)}], {0}
    except Exception:  # a file that breaks the reader must still end with a message, not a stuck job
        logger.exception("import %s could not be checked", job.pk)
        errors, bad_rows = [{"row": None, "column": "", "message": _("The file could not be read.")}], {0}
    errors.sort(key=lambda error: (error["row"] or 0))
    job.total_rows, job.error_count, job.errors = total, len(bad_rows), errors
    job.status = ImportJob.Status.REJECTED if bad_rows else ImportJob.Status.CHECKED
    job.save(update_fields=["total_rows", "error_count", "errors", "status"])
    progress_set(job.pk, "checked", total, total)
    return job


def import_job_start(*, job: ImportJob, acting_user) -> bool:
    """Queue the commit of a checked file; False when it is not ready or already started (double submit)."""
    if job.created_by_id != acting_user.pk and not acting_user.has_perm("imports.change_importjob"):
        raise PermissionDenied
    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORTING
        )
        if started:
            from .tasks import import_commit

            transaction.on_commit(lambda: import_commit.delay(job.pk))
    return bool(started)


def import_job_commit(job: ImportJob) -> ImportJob:
    """Write every staged row in one transaction: all rows, or none when anything fails."""
    importer = registry.get(job.kind)

    def progress(done):
        progress_set(job.pk, "importing", done, job.total_rows)

    try:
        with transaction.atomic():
            result = importer.commit(registry.StagedRows(_staging_path(job), importer), acting_user=job.created_by, progress=progress)
    except Exception as error:  # the transaction rolled back; tell the user instead of failing silently
        logger.exception("import %s failed", job.pk)
        job.status, job.result = ImportJob.Status.FAILED, {"error": _("The import failed and nothing was written: %(error)s") % {"error": error}}
    else:
        job.status, job.result = ImportJob.Status.DONE, result
        _staging_path(job).unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    progress_set(job.pk, job.status, job.total_rows, job.total_rows)
    return job
