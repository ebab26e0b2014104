"""What the HTTP benchmarks share: the production stack under gunicorn, and latency summaries."""

import contextlib
import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECRET_KEY = "bench-" + "x" * 60
ROOT = Path(__file__).resolve().parent.parent


_collected: list = []


def _static_fresh() -> bool:
    """Whether the collected static files (and their manifest) are newer than every source file."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected_at = manifest.stat().st_mtime
    return all(os.path.getmtime(storage.path(path)) < collected_at
               for finder in get_finders() for path, storage in finder.list([]))


def defaults(model, given: str) -> tuple[str, list]:
    """The columns of ``model``'s table that a bare-SQL INSERT naming ``given`` (comma-separated) leaves out
    but that may not be NULL, with their defaults: so that a column a later app adds does not break the
    benchmark's fill. Returns ``(", col1, col2", [value1, value2])`` to append to the INSERT."""
    from django.db import connection

    named = {name.strip().strip('"') for name in given.split(",")}
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in named or field.primary_key or field.null:
            continue
        if field.has_default():
            value = field.get_default()
        elif field.empty_strings_allowed:
            value = ""
        else:
            raise RuntimeError(f"the benchmark must give {model._meta.db_table}.{field.column} a value")
        columns.append(f'"{field.column}"')
        values.append(field.get_db_prep_save(value, connection))
    return "".join(f", {column}" for column in columns), values


@contextlib.contextmanager
def gunicorn(url: str):
    """Serve the product with production settings (gthread workers, one per core, keep-alive)."""
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod",
           "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING", "SMS_BACKEND": "file",
           "SITE_URL": f"http://127.0.0.1:{PORT}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Pages need the hashed static files, as in a deployment; once a run (compressing them takes minutes).
    if not _collected and not _static_fresh():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        _collected.append(True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "aftersales.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(os.cpu_count() or 2),
         "-k", "gthread", "--threads", "4", "--keep-alive", "30", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def connection() -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", PORT)


def summary(timings: list[float], elapsed: float) -> dict:
    timings = sorted(timings)
    return {"n": len(timings), "per_second": len(timings) / elapsed, "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": timings[int(len(timings) * 0.95)] * 1000, "p99_ms": timings[int(len(timings) * 0.99)] * 1000}


def timed(calls, work) -> dict:
    """Run ``work(i)`` for each of ``calls`` one at a time and summarise the latencies."""
    timings = []
    for index in calls:
        started = time.perf_counter()
        work(index)
        timings.append(time.perf_counter() - started)
    return summary(timings, sum(timings))


def concurrent(clients: int, seconds: float, make_work) -> dict:
    """``clients`` threads, each with its own ``make_work()`` callable, for ``seconds``."""
    stop = time.monotonic() + seconds
    timings, lock = [], threading.Lock()

    def client():
        work, local = make_work(), []
        while time.monotonic() < stop:
            started = time.perf_counter()
            work()
            local.append(time.perf_counter() - started)
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(timings, time.perf_counter() - started)


def row(label: str, figures: dict) -> str:
    """One line of the table; a figure ``figures`` lacks (one quoted from elsewhere) shows as a dash."""
    def cell(key, spec):
        return f"{figures[key]:>9{spec}}" if figures.get(key) is not None else f"{'—':>9}"

    rate = ",.1f" if (figures.get("per_second") or 0) < 100 else ",.0f"
    return (f"{label:<62}{cell('per_second', rate)}{cell('p50_ms', '.2f')}{cell('p95_ms', '.2f')}"
            f"{cell('p99_ms', '.2f')}")


def header() -> str:
    return f"{'path':<62}{'per s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
