"""Importing serials from one large .xlsx into PostgreSQL (issue 3's figure: 1,000,000 rows).

Baseline, measured in the same run on the same file: openpyxl read-only parse + COPY into a bare
table (no validation, no duplicate checks, no history). Measured: the product's own path — the
check (every row validated, duplicates in the file and against the database, rows staged) and the
commit (COPY + units and their events in one statement). Each runs in its own process so that its
peak memory (max RSS) is its own. Rows: BENCH_IMPORT_ROWS (default 1,000,000).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _file(rows: int) -> Path:
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"serials-{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["سریال", "کد برند", "کد مدل", "تاریخ تولید", "بچ / سری ساخت", "تاریخ فروش"])
    for index in range(rows):
        month = index % 12 + 1
        sheet.append([f"BN-{index:08d}", "BENCH", "BM-1", f"1404/{month:02d}/{index % 28 + 1:02d}", f"B{index // 10000}",
                      f"1405/01/{index % 28 + 1:02d}" if index % 3 == 0 else None])
    workbook.save(path)
    print(f"(wrote {rows:,} rows to {path.name} in {time.perf_counter() - started:.0f} s, {path.stat().st_size / 1e6:.1f} MB)")
    return path


def _child(mode: str, path: str, url: str) -> dict:
    out = subprocess.run([sys.executable, __file__, mode, path, url], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline(path: str, url: str) -> dict:
    import psycopg
    from openpyxl import load_workbook

    started = time.perf_counter()
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TEMP TABLE bench_raw (serial text, brand text, model text, production_date text, batch text, sale_date text)")
        count = 0
        with connection.cursor().copy("COPY bench_raw FROM STDIN") as copy:
            workbook = load_workbook(path, read_only=True)
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            next(rows)
            for row in rows:
                copy.write_row((row + (None,) * 6)[:6])  # trailing empty cells are not stored
                count += 1
            workbook.close()
    elapsed = time.perf_counter() - started
    return {"rows": count, "seconds": elapsed, "rss_mb": _maxrss_mb()}


def _clear_units(connection, brand_code: str) -> None:
    """Delete the units an earlier run imported, and the rows of whatever table refers to them — found
    from the models, so that a later app's foreign key to units does not break the benchmark."""
    from aftersales.catalog.models import ProductUnit

    units = "SELECT u.id FROM catalog_productunit u JOIN catalog_brand b ON b.id = u.brand_id WHERE b.code = %s"
    with connection.cursor() as cursor:
        for relation in ProductUnit._meta.related_objects:
            if relation.many_to_many:
                continue
            table, column = relation.related_model._meta.db_table, relation.field.column
            cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({units})', [brand_code])
        cursor.execute(f"DELETE FROM catalog_productunit WHERE id IN ({units})", [brand_code])


def _product(path: str, url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.dev")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection

    from aftersales.catalog.models import Brand, ProductGroup, ProductModel
    from aftersales.imports.models import ImportJob
    from aftersales.imports.services import import_job_check, import_job_commit
    from aftersales.organization.models import User

    _clear_units(connection, "BENCH")
    group, _ = ProductGroup.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    brand, _ = Brand.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    ProductModel.objects.get_or_create(brand=brand, code="BM1", defaults={"name": "bench model", "group": group})
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    with open(path, "rb") as handle:
        job = ImportJob.objects.create(kind="serials", file=File(handle, name=Path(path).name), original_name=Path(path).name, created_by=user)
    started = time.perf_counter()
    job = import_job_check(job)
    checked = time.perf_counter()
    if job.status != ImportJob.Status.CHECKED:
        raise RuntimeError(f"check failed: {job.errors[:3]}")
    job.status = ImportJob.Status.IMPORTING
    job = import_job_commit(job)
    done = time.perf_counter()
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"commit failed: {job.result}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_unitevent e JOIN catalog_productunit u ON u.id = e.unit_id "
                       "WHERE u.brand_id = %s", [brand.pk])
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM catalog_productunit WHERE brand_id = %s", [brand.pk])
        units = cursor.fetchone()[0]
    job.file.delete(save=False)
    return {"rows": job.result["created"], "check_s": checked - started, "commit_s": done - checked,
            "seconds": done - started, "events": events, "units": units, "rss_mb": _maxrss_mb()}


def run(url: str) -> list:
    from benchmarks.report import Aim, Check

    path = str(_file(ROWS))
    base = _child("baseline", path, url)
    ours = _child("product", path, url)
    print(f"{ROWS:,} serial rows from one .xlsx into PostgreSQL")
    print(f"{'path':<52}{'rows/s':>10}{'seconds':>10}{'peak MB':>10}")
    print(f"{'baseline: openpyxl read-only + COPY (no checks)':<52}{base['rows'] / base['seconds']:>10,.0f}{base['seconds']:>10.1f}{base['rss_mb']:>10.0f}")
    print(f"{'product: check + commit (all or nothing)':<52}{ours['rows'] / ours['seconds']:>10,.0f}{ours['seconds']:>10.1f}{ours['rss_mb']:>10.0f}")
    print(f"{'  of which check (validate, duplicates, stage)':<52}{ours['rows'] / ours['check_s']:>10,.0f}{ours['check_s']:>10.1f}")
    print(f"{'  of which commit (COPY + units + events)':<52}{ours['rows'] / ours['commit_s']:>10,.0f}{ours['commit_s']:>10.1f}")
    print(f"speed vs baseline: {base['seconds'] / ours['seconds']:.0%}; events written: {ours['events']:,}")
    return [
        Aim("import speed, % of the baseline's", 100 * base["seconds"] / ours["seconds"], 50, "%", "higher", "issue 3"),
        Aim("import peak memory", ours["rss_mb"], 500, "MB", "lower", "issue 3"),
        Check("every row of the file became one unit", ours["rows"] == ours["units"] == ROWS,
              f"{ours['units']:,} units of {ROWS:,} rows"),
        # A production event for every unit, a sale event for the third that the file gives a sale date.
        Check("a production event per unit, a sale event per sold unit", ours["events"] == ROWS + (ROWS + 2) // 3,
              f"{ours['events']:,} events"),
    ]


if __name__ == "__main__":
    mode, path, url = sys.argv[1:4]
    print(json.dumps(_baseline(path, url) if mode == "baseline" else _product(path, url)))
