"""The warranty status API for one serial, with BENCH_WARRANTY_UNITS serials (default 10,000,000)
in PostgreSQL, through the real HTTP stack: gunicorn (gthread workers, one per core, keep-alive) and token auth.

Baseline, in the same run: the bare indexed lookup of the serial through psycopg, one query per
call, no HTTP. Measured: p50/p95 one request at a time, then requests/second with 16 concurrent
clients (keep-alive connections), each request a random registered serial.
"""

import json
import os
import random
import time

from benchmarks import serving

UNITS = int(os.environ.get("BENCH_WARRANTY_UNITS", "10000000"))
SEQUENTIAL = int(os.environ.get("BENCH_REQUESTS", "2000"))
CONCURRENT_CLIENTS = 16
CONCURRENT_SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))


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
                # Serials and invoice numbers as a factory sends them ("BW-00000001", "F-1"), with the
                # matching keys the product computes (catalog/identifiers.py: separators gone).
                """INSERT INTO catalog_productunit (serial, serial_key, brand_id, product_model_id, production_date,
                   sale_date, batch, batch_key, factory, sale_invoice_no, sale_invoice_key, delivery_note_no,
                   delivery_note_key, subscription_no, subscription_key, dealer_code, dealer_name, status,
                   created_at, updated_at)
                   SELECT 'BW-' || lpad(n::text, 8, '0'), 'BW' || lpad(n::text, 8, '0'), %s, %s,
                          date '2024-01-01' + (n %% 700)::int, date '2024-03-01' + (n %% 700)::int, '', '', '',
                          'F-' || n, 'F' || n, '', '', '', '', '', '', 'sold', now(), now()
                   FROM generate_series(%s::bigint, %s::bigint) AS n""",
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

    with psycopg.connect(url) as connection:
        return serving.timed(_serials(SEQUENTIAL), lambda serial: connection.execute(
            "SELECT id, product_model_id, sale_date FROM catalog_productunit WHERE serial_key = %s", [serial]).fetchone())


def _get(connection, serial, token):
    connection.request("GET", f"/api/warranty/status/?serial={serial}", headers={"Authorization": f"Token {token}"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {body[:200]!r}")
    return body


def _sequential(token) -> dict:
    link = serving.connection()
    for serial in _serials(50):  # warm the workers
        _get(link, serial, token)
    figures = serving.timed(_serials(SEQUENTIAL), lambda serial: _get(link, serial, token))
    figures["answer"] = json.loads(_get(link, _serials(1)[0], token))
    return figures


def _concurrent(token) -> dict:
    def make_work():
        link = serving.connection()
        return lambda: _get(link, f"BW{random.randint(1, UNITS):08d}", token)

    return serving.concurrent(CONCURRENT_CLIENTS, CONCURRENT_SECONDS, make_work)


def run(url: str) -> list:
    from benchmarks.report import Aim, Check

    _fill(url)
    token = _token()
    with serving.gunicorn(url):
        base = _baseline(url)
        one = _sequential(token)
        many = _concurrent(token)
    print(f"warranty status of one serial, {UNITS:,} serials in PostgreSQL, gunicorn with {os.cpu_count()} workers × 4 threads (gthread, keep-alive)")
    print(serving.header())
    print(serving.row("baseline: indexed lookup through psycopg, one at a time", base))
    print(serving.row("API over HTTP, one request at a time", one))
    print(serving.row(f"API over HTTP, {CONCURRENT_CLIENTS} concurrent clients ({CONCURRENT_SECONDS:g} s)", many))
    state = one["answer"].get("product", {}).get("state")
    return [
        Aim("status API p50, one at a time", one["p50_ms"], 3, "ms", "lower", "issue 4"),
        Aim("status API p95, one at a time", one["p95_ms"], 6, "ms", "lower", "issue 4"),
        Aim(f"status API, {CONCURRENT_CLIENTS} concurrent clients", many["per_second"], 500, "req/s", "higher", "issue 4"),
        Check("a registered serial answers with its warranty state", state in {"active", "expired", "not_activated"},
              f"state {state!r}"),
        Check("every request answered 200", many["n"] > 0 and one["n"] == SEQUENTIAL, f"{one['n'] + many['n']:,} requests"),
    ]
