"""The warranty status API for one serial, with BENCH_WARRANTY_UNITS serials (default 10,000,000)
in PostgreSQL, through the real HTTP stack: gunicorn (gthread workers, one per core, keep-alive) and token auth.

Baseline, in the same run: the bare indexed lookup of the serial through psycopg, one query per
call, no HTTP. Measured: p50/p95 one request at a time, then requests/second with 16 concurrent
clients (keep-alive connections), each request a random registered serial.
"""

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

UNITS = int(os.environ.get("BENCH_WARRANTY_UNITS", "10000000"))
SEQUENTIAL = 2000
CONCURRENT_CLIENTS = 16
CONCURRENT_SECONDS = 15
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ROOT = Path(__file__).resolve().parent.parent


def _fill(url: str) -> None:
    """Bring the unit table to UNITS rows (serials BW00000001…), with a policy, cards and events."""
    import psycopg

    from aftersales.catalog.models import Brand, ComponentType, ModelComponent, ProductGroup, ProductModel
    from aftersales.warranty.models import ComponentTerm, ModelWarranty, PolicyVersion, WarrantyPolicy

    group, _ = ProductGroup.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    brand, _ = Brand.objects.get_or_create(code="BENCHW", defaults={"name": "bench"})
    model, _ = ProductModel.objects.get_or_create(brand=brand, code="BW1", defaults={"name": "bench", "group": group})
    compressor, _ = ComponentType.objects.get_or_create(code="BENCHCMP", defaults={"name": "compressor"})
    ModelComponent.objects.get_or_create(product_model=model, component_type=compressor)
    policy, _ = WarrantyPolicy.objects.get_or_create(code="bench", defaults={"name": "bench 18"})
    import datetime

    version, _ = PolicyVersion.objects.get_or_create(policy=policy, effective_from=datetime.date(2020, 1, 1), defaults={"duration_months": 18})
    ComponentTerm.objects.get_or_create(version=version, component_type=compressor, defaults={"duration_months": 60})
    ModelWarranty.objects.get_or_create(product_model=model, defaults={"policy": policy})
    with psycopg.connect(url, autocommit=True) as connection:
        have = connection.execute("SELECT count(*) FROM catalog_productunit WHERE brand_id = %s", [brand.pk]).fetchone()[0]
        if have >= UNITS:
            return
        started = time.perf_counter()
        step = 1_000_000
        for low in range(have + 1, UNITS + 1, step):
            high = min(low + step - 1, UNITS)
            connection.execute(
                """INSERT INTO catalog_productunit (serial, brand_id, product_model_id, production_date, sale_date, batch,
                   factory, sale_invoice_no, delivery_note_no, subscription_no, dealer_code, dealer_name, status,
                   created_at, updated_at)
                   SELECT 'BW' || lpad(n::text, 8, '0'), %s, %s, date '2024-01-01' + (n %% 700),
                          date '2024-03-01' + (n %% 700), '', '', 'F' || n, '', '', '', '', 'sold', now(), now()
                   FROM generate_series(%s, %s) AS n""",
                [brand.pk, model.pk, low, high],
            )
            print(f"(units {high:,} of {UNITS:,}, {time.perf_counter() - started:.0f} s)", flush=True)
        connection.execute("ANALYZE catalog_productunit")


def _token() -> str:
    from rest_framework.authtoken.models import Token

    from aftersales.organization.models import User

    user, _ = User.objects.get_or_create(username="bench-api", defaults={"is_superuser": True})
    return Token.objects.get_or_create(user=user)[0].key


def _serials(count: int) -> list[str]:
    return [f"BW{random.randint(1, UNITS):08d}" for _ in range(count)]


def _baseline(url: str) -> dict:
    import psycopg

    serials = _serials(SEQUENTIAL)
    timings = []
    with psycopg.connect(url) as connection:
        for serial in serials:
            started = time.perf_counter()
            connection.execute("SELECT id, product_model_id, sale_date FROM catalog_productunit WHERE serial = %s", [serial]).fetchone()
            timings.append(time.perf_counter() - started)
    return _summary(timings, sum(timings))


def _get(connection, serial, token):
    connection.request("GET", f"/api/warranty/status/?serial={serial}", headers={"Authorization": f"Token {token}"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {body[:200]!r}")
    return body


def _sequential(token) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    for serial in _serials(50):  # warm the workers
        _get(connection, serial, token)
    timings = []
    for serial in _serials(SEQUENTIAL):
        started = time.perf_counter()
        body = _get(connection, serial, token)
        timings.append(time.perf_counter() - started)
    assert json.loads(body)["product"]["state"] in {"active", "expired", "not_activated"}
    return _summary(timings, sum(timings))


def _concurrent(token) -> dict:
    stop = time.monotonic() + CONCURRENT_SECONDS
    timings, lock = [], threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", PORT)
        local = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            _get(connection, f"BW{random.randint(1, UNITS):08d}", token)
            local.append(time.perf_counter() - started)
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENT_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _summary(timings, time.perf_counter() - started)


def _summary(timings, elapsed) -> dict:
    timings = sorted(timings)
    return {"n": len(timings), "per_second": len(timings) / elapsed, "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": timings[int(len(timings) * 0.95)] * 1000}


def run(url: str) -> None:
    _fill(url)
    token = _token()
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod",
           "SECRET_KEY": "bench-" + "x" * 60, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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
        base = _baseline(url)
        one = _sequential(token)
        many = _concurrent(token)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"warranty status of one serial, {UNITS:,} serials in PostgreSQL, gunicorn with {os.cpu_count()} workers × 4 threads (gthread, keep-alive)")
    print(f"{'path':<58}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'baseline: indexed lookup through psycopg, one at a time':<58}{base['per_second']:>9,.0f}{base['p50_ms']:>9.2f}{base['p95_ms']:>9.2f}")
    print(f"{'API over HTTP, one request at a time':<58}{one['per_second']:>9,.0f}{one['p50_ms']:>9.2f}{one['p95_ms']:>9.2f}")
    print(f"{f'API over HTTP, {CONCURRENT_CLIENTS} concurrent clients ({CONCURRENT_SECONDS} s)':<58}{many['per_second']:>9,.0f}{many['p50_ms']:>9.2f}{many['p95_ms']:>9.2f}")
