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


@contextlib.contextmanager
def gunicorn(url: str):
    """Serve the product with production settings (gthread workers, one per core, keep-alive)."""
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod",
           "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING", "SMS_BACKEND": "file"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Pages need the hashed static files, as in a deployment.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
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
            "p95_ms": timings[int(len(timings) * 0.95)] * 1000}


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
    return f"{label:<62}{figures['per_second']:>9,.0f}{figures['p50_ms']:>9.2f}{figures['p95_ms']:>9.2f}"


def header() -> str:
    return f"{'path':<62}{'per s':>9}{'p50 ms':>9}{'p95 ms':>9}"
