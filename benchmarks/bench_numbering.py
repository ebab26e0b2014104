"""Document numbers under concurrent saves: the price of gap-free numbering.

Baseline: a PostgreSQL SEQUENCE (``nextval``) in its own transaction, which is fast but leaves gaps
when a save rolls back. Measured: ``next_document_number`` in a transaction, 8 threads at once,
first all on one center (worst case: one locked row), then one center per thread (the usual case).
"""

import os
import statistics
import threading
import time

import psycopg
from django.db import connections, transaction

from aftersales.core.numbering import next_document_number

THREADS = 8
PER_THREAD = int(os.environ.get("BENCH_NUMBERING_PER_THREAD", "200"))


def _measure(worker) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS + 1)

    def body(index):
        local = []
        barrier.wait()
        for _ in range(PER_THREAD):
            started = time.perf_counter()
            worker(index)
            local.append(time.perf_counter() - started)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
    }


def run(url: str) -> list:
    from aftersales.core.models import DocumentSequence
    from benchmarks.report import Check

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE SEQUENCE IF NOT EXISTS bench_document_seq")
    local = threading.local()

    def baseline(index):
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(url)
        with local.connection.transaction():
            local.connection.execute("SELECT nextval('bench_document_seq')").fetchone()

    run_id = time.time_ns()
    taken: dict[str, list[str]] = {}

    def numbered(scope):
        def worker(index):
            with transaction.atomic():
                number = next_document_number(scope=scope(index), document_type="bench")
            with lock:
                taken.setdefault(scope(index), []).append(number)
        return worker

    lock = threading.Lock()
    results = {
        "baseline: SEQUENCE nextval (gaps possible)": _measure(baseline),
        "gap-free, 8 threads on one center": _measure(numbered(lambda i: f"bench-{run_id}")),
        "gap-free, one center per thread": _measure(numbered(lambda i: f"bench-{run_id}-{i}")),
    }
    connections.close_all()
    print(f"{THREADS} threads x {PER_THREAD} documents, PostgreSQL")
    print(f"{'case':<46}{'docs/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for name, row in results.items():
        print(f"{name:<46}{row['per_second']:>10.0f}{row['p50_ms']:>10.2f}{row['p95_ms']:>10.2f}")
    shared = taken.get(f"bench-{run_id}", [])
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in shared)
    last = DocumentSequence.objects.filter(scope=f"bench-{run_id}", document_type="bench").values_list("last_number", flat=True)
    return [Check("one center, 8 threads: numbers 1…N, each once, no gap",
                  serials == list(range(1, THREADS * PER_THREAD + 1)) and list(last) == [THREADS * PER_THREAD],
                  f"{len(set(serials)):,} distinct of {len(serials):,}")]
