"""The life of an import: upload → check (preview every row's errors) → commit.

The check sorts the valid rows into new ones and ones whose record is already stored (with what
would change in each); at the commit the user chooses what happens to the latter: skipped ("new rows
only"), updated ("add and update"), or the whole file refused ("all or nothing"). Rows that another
import stored between the check and the commit are named to the user, never a database error.

Checking and committing run in the background worker; progress goes to the shared cache so the
page can show a bar, and the job row keeps the outcome, so a reload loses nothing. Implements F05.
"""

import datetime
import logging
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.persian import format_number, to_persian_digits
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


def _staging_path(job: ImportJob, part: str = "jsonl") -> Path:
    """The staged new rows (``jsonl``, in the importer's own line format), their row numbers (``rows``),
    and the rows already stored (``existing``: "row number<TAB>staged line")."""
    folder = Path(settings.MEDIA_ROOT) / "imports" / "staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}.{part}"


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return jalali.format_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return jalali.format_date(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def _changes(importer, stored: dict, new: dict, columns) -> list[dict]:
    """What writing ``new`` over ``stored`` would change, column by column (the file's columns only).

    An empty cell changes nothing: a cumulative file that leaves a cell blank does not erase what is stored.
    """
    changes = []
    for column in importer.columns:
        if column.key not in columns or column.key not in new or _plain(new[column.key]) == "":
            continue
        if _plain(new[column.key]) != _plain(stored.get(column.key)):
            changes.append({"key": column.key, "column": str(column.label),
                            "old": _shown(stored.get(column.key)), "new": _shown(new[column.key])})
    return changes


def _key_text(importer, row: dict, key) -> str:
    first = row.get(importer.columns[0].key) if row else None
    if first not in (None, ""):
        return str(first)
    parts = key if isinstance(key, tuple) else (key,)
    return " / ".join(str(part) for part in parts if isinstance(part, str)) or str(key)


def _rows_text(rows: list[int]) -> str:
    shown = "، ".join(to_persian_digits(row) for row in rows[:20])
    return shown + ("، …" if len(rows) > 20 else "")


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
    """Read every row, collect every error (row, column, message), and stage the clean rows: new ones
    apart from ones already stored, with what would change in each of those."""
    importer = registry.get(job.kind)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    errors, bad_rows, total = [], set(), 0
    # Row number by the hash of each key seen so far: a million keys fit in ~100 MB this way, where
    # keeping the keys themselves took 2.5 times that. A 64-bit collision among a million keys has
    # odds of about 1 in 30 million; it would show as a false "repeats row" error, never a lost row.
    seen: dict[int, int] = {}
    pending: list[tuple[object, int, dict]] = []
    info: dict = {}
    existing = {"count": 0, "changed": 0, "columns": [], "rows": []}

    def add_error(row, column, message):
        bad_rows.add(row)
        if len(errors) < MAX_STORED_ERRORS:
            label = next((str(c.label) for c in importer.columns if c.key == column), column or "")
            errors.append({"row": row, "column": label, "message": str(message)})

    def check_database():
        # One query per batch for the keys, one more for the stored values of those found.
        found = importer.existing_keys([key for key, _row, _clean in pending])
        stored = importer.existing_values([key for key, _row, _clean in pending if key in found]) \
            if found and importer.can_update else {}
        for key, number, clean in pending:
            if key not in found:
                staging.write(importer.dump(clean) + "\n")
                numbers.write(f"{number}\n")
                continue
            changes = _changes(importer, stored[key], importer.column_values(clean), info.get("columns", [])) \
                if key in stored else []
            existing["count"] += 1
            existing["changed"] += bool(changes)
            if len(existing["rows"]) < MAX_STORED_ERRORS:
                existing["rows"].append({"row": number, "key": _key_text(importer, clean, key), "changes": changes})
            kept.write(f"{number}\t{importer.dump(clean)}\n")
        pending.clear()

    path = Path(job.file.path)
    try:
        importer.prepare()
        with open(_staging_path(job), "w", encoding="utf-8") as staging, \
                open(_staging_path(job, "rows"), "w", encoding="utf-8") as numbers, \
                open(_staging_path(job, "existing"), "w", encoding="utf-8") as kept:
            with open(path, "rb") as handle:
                kind = file_kind(job.original_name, handle.read(4096))
            for number, values, problems in read_rows(importer, path, kind, info):
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
                        pending.append((key, number, clean))
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
    existing["columns"] = info.get("columns", [])
    job.total_rows, job.error_count, job.errors, job.existing = total, len(bad_rows), errors, existing
    job.encoding = info.get("encoding", "")
    job.status = ImportJob.Status.REJECTED if bad_rows else ImportJob.Status.CHECKED
    job.save(update_fields=["total_rows", "error_count", "errors", "existing", "encoding", "status"])
    progress_set(job.pk, "checked", total, total)
    return job


def import_job_start(*, job: ImportJob, acting_user, mode: str = ImportJob.Mode.ALL_OR_NOTHING) -> bool:
    """Queue the commit of a checked file with what to do with rows already stored (``mode``); False
    when it is not ready or already started (double submit), or the importer cannot update."""
    if job.created_by_id != acting_user.pk and not acting_user.has_perm("imports.change_importjob"):
        raise PermissionDenied
    if mode not in ImportJob.Mode.values or (mode == ImportJob.Mode.UPDATE and not registry.get(job.kind).can_update):
        return False
    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORTING, mode=mode
        )
        if started:
            from .tasks import import_commit

            transaction.on_commit(lambda: import_commit.delay(job.pk))
    return bool(started)


class _Clash(Exception):
    """Rows whose record is stored already; nothing of the file was written."""

    def __init__(self, rows: list[dict], message: str):
        super().__init__(message)
        self.rows, self.message = rows, message


def _staged_with_numbers(job: ImportJob, importer) -> Iterator[tuple[int, str]]:
    with open(_staging_path(job), encoding="utf-8") as staging, open(_staging_path(job, "rows"), encoding="utf-8") as numbers:
        for line, number in zip(staging, numbers, strict=True):
            yield int(number), line.rstrip("\n")


def _clashing_rows(job: ImportJob, importer) -> list[dict]:
    """The staged new rows whose record is stored by now (another import committed meanwhile)."""
    clashes, batch = [], []

    def flush():
        found = importer.existing_keys([key for key, _number, _row in batch])
        clashes.extend({"row": number, "key": _key_text(importer, row, key)} for key, number, row in batch if key in found)
        batch.clear()

    for number, line in _staged_with_numbers(job, importer):
        row = importer.load(line)
        batch.append((importer.key(row), number, row))
        if len(batch) >= DB_CHECK_BATCH:
            flush()
    flush()
    return clashes


def _drop_staged(job: ImportJob, importer, rows: set[int]) -> None:
    """Take the given rows out of the staged new rows, streaming (a staged file may hold a million)."""
    with open(_staging_path(job, "jsonl.next"), "w", encoding="utf-8") as staging, \
            open(_staging_path(job, "rows.next"), "w", encoding="utf-8") as numbers:
        for number, line in _staged_with_numbers(job, importer):
            if number not in rows:
                staging.write(line + "\n")
                numbers.write(f"{number}\n")
    _staging_path(job, "jsonl.next").replace(_staging_path(job))
    _staging_path(job, "rows.next").replace(_staging_path(job, "rows"))


def _existing_staged(job: ImportJob, importer) -> Iterator[tuple[int, dict]]:
    path = _staging_path(job, "existing")
    if not path.exists():
        return
    with open(path, encoding="utf-8") as kept:
        for line in kept:
            number, staged = line.rstrip("\n").split("\t", 1)
            yield int(number), importer.load(staged)


def _apply_updates(job: ImportJob, importer) -> tuple[int, int]:
    """Write the changed columns of each row already stored; (records updated, rows unchanged or gone)."""
    columns = (job.existing or {}).get("columns", [])
    updated = unchanged = 0
    batch: list[tuple[object, dict]] = []

    def flush():
        nonlocal updated, unchanged
        stored = importer.existing_values([key for key, _row in batch])
        work = []
        for key, row in batch:
            changes = _changes(importer, stored[key], importer.column_values(row), columns) if key in stored else []
            if changes:
                work.append((row, [change["key"] for change in changes]))
            else:
                unchanged += 1
        if work:
            updated += importer.update(work, acting_user=job.created_by)
        batch.clear()

    for _number, row in _existing_staged(job, importer):
        batch.append((importer.key(row), row))
        if len(batch) >= 1000:
            flush()
    flush()
    return updated, unchanged


def import_job_commit(job: ImportJob) -> ImportJob:
    """Write the staged rows in one transaction, doing with rows already stored what ``job.mode`` says.

    All or nothing: any row already stored — at the check, or by another import since — refuses the
    whole file, naming the rows. New rows only: those rows are skipped and named. Add and update: their
    changed columns are written. A failure of any other kind writes nothing.
    """
    importer = registry.get(job.kind)
    mode = job.mode

    def progress(done):
        progress_set(job.pk, "importing", done, job.total_rows)

    skipped_meanwhile: list[dict] = []
    try:
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    if mode == ImportJob.Mode.ALL_OR_NOTHING and job.existing_count:
                        rows = [{"row": row["row"], "key": row["key"]} for row in job.existing["rows"]]
                        raise _Clash(rows, _(
                            "%(count)s rows are already registered (rows %(rows)s), so nothing was written. "
                            "Upload the file again and choose to add new rows only, or to add and update."
                        ) % {"count": format_number(job.existing_count), "rows": _rows_text([r["row"] for r in rows])})
                    result = importer.commit(registry.StagedRows(_staging_path(job), importer),
                                             acting_user=job.created_by, progress=progress)
                    if mode == ImportJob.Mode.UPDATE:
                        importer.prepare()  # lookups as they are now, not as a previous file found them
                        result["updated"], result["unchanged"] = _apply_updates(job, importer)
                    elif mode == ImportJob.Mode.NEW_ONLY:
                        result["skipped"] = job.existing_count
                break
            except IntegrityError:
                # Another import stored some of these rows after this file's check: name them.
                clashes = _clashing_rows(job, importer)
                if not clashes:
                    raise
                if mode == ImportJob.Mode.ALL_OR_NOTHING or attempt == 2:
                    raise _Clash(clashes, _(
                        "%(count)s rows were registered by another import after this file was checked "
                        "(rows %(rows)s), so nothing was written."
                    ) % {"count": format_number(len(clashes)), "rows": _rows_text([c["row"] for c in clashes])}) from None
                _drop_staged(job, importer, {clash["row"] for clash in clashes})
                skipped_meanwhile = clashes
    except _Clash as clash:
        logger.info("import %s refused: %s rows already stored", job.pk, len(clash.rows))
        job.status, job.result = ImportJob.Status.FAILED, {"error": clash.message, "clashes": clash.rows[:MAX_STORED_ERRORS]}
    except Exception:  # the transaction rolled back; tell the user instead of failing silently
        logger.exception("import %s failed", job.pk)
        job.status, job.result = ImportJob.Status.FAILED, {"error": _("The import failed and nothing was written.")}
    else:
        if skipped_meanwhile:
            result["skipped"] = result.get("skipped", 0) + len(skipped_meanwhile)
            result["clashes"] = skipped_meanwhile[:MAX_STORED_ERRORS]
        job.status, job.result = ImportJob.Status.DONE, result
        for part in ("jsonl", "rows", "existing"):
            _staging_path(job, part).unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    progress_set(job.pk, job.status, job.total_rows, job.total_rows)
    return job
