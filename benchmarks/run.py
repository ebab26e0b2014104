"""Run every benchmark (``bench_*.py`` beside this file) against PostgreSQL, print its figures and a summary.

``BENCH_DATABASE_URL`` names the database (default: a local ``aftersales_bench``). Each run starts
from a fresh database (dropped, created and migrated), so that a benchmark never leans on what an
earlier run or another benchmark left; ``BENCH_REUSE_DB=1`` keeps the filled data between runs
(the 10,000,000 serials and 1,000,000 repair orders take a while to fill).

``--smoke`` runs every benchmark at tiny sizes (a few thousand rows, a few seconds each) to prove that
it still runs and that its correctness checks hold; aims are printed but not judged there.
Names after the options run only those benchmarks: ``run.py bench_repairs``.
The exit status is non-zero when a benchmark fails or one of its checks does not hold.
"""

import importlib
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench"

# Tiny sizes for --smoke; each can still be overridden from the environment.
SMOKE_SIZES = {
    "BENCH_IMPORT_ROWS": "3000", "BENCH_WARRANTY_UNITS": "5000", "BENCH_SMS_MESSAGES": "300", "BENCH_SMS_WORKERS": "2",
    "BENCH_REPAIR_ORDERS": "3000", "BENCH_REQUESTS": "30", "BENCH_SECONDS": "2", "BENCH_NUMBERING_PER_THREAD": "20",
    "BENCH_REPORT_ORDERS": "3000", "BENCH_REPORT_UNITS": "10000", "BENCH_REPORT_CENTERS": "20", "BENCH_REPORT_RUNS": "2",
    "BENCH_CRM_PARTIES": "3000", "BENCH_CRM_CONTACTS": "20000", "BENCH_CRM_STAGE": "500", "BENCH_CRM_REPAIRS": "2000",
    "BENCH_ALARM_ROWS": "3000", "BENCH_COMMISSION_AGENTS": "300", "BENCH_COMMISSION_LINES": "40000",
    "BENCH_ROUTING_LONG_SECONDS": "5", "BENCH_PORTAL_CUSTOMERS": "300", "BENCH_PORTAL_UNITS": "1000",
    "BENCH_PORTAL_ORDERS": "3000",
}


def _fresh_database(url: str, *, reuse: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    args = sys.argv[1:]
    smoke = "--smoke" in args
    only = [arg for arg in args if not arg.startswith("--")]
    if smoke:
        os.environ["BENCH_SMOKE"] = "1"  # for a benchmark that keeps a database of its own (bench_crm)
        for key, value in SMOKE_SIZES.items():
            os.environ.setdefault(key, value)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _fresh_database(url, reuse=os.environ.get("BENCH_REUSE_DB") == "1" and not smoke)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.dev")
    os.environ["DEBUG"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    names = [path.stem for path in sorted(HERE.glob("bench_*.py"))]
    unknown = set(only) - set(names)
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}; there are {', '.join(names)}")
        return 2
    results: dict[str, list] = {}
    failed: dict[str, str] = {}
    for name in names:
        if only and name not in only:
            continue
        print(f"\n== {name}{' (smoke)' if smoke else ''}", flush=True)
        started = time.perf_counter()
        try:
            results[name] = importlib.import_module(f"benchmarks.{name}").run(url) or []
        except Exception:  # one broken benchmark must not hide the others' figures
            failed[name] = traceback.format_exc(limit=4)
            print(failed[name], flush=True)
            continue
        for item in results[name]:
            print("  " + item.line())
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return _summary(results, failed, smoke=smoke)


def _summary(results: dict, failed: dict, *, smoke: bool) -> int:
    from benchmarks.report import Aim, Check

    print("\n== summary" + (" (smoke: tiny sizes, aims not judged)" if smoke else ""))
    bad = False
    for name, items in results.items():
        checks = [item for item in items if isinstance(item, Check)]
        aims = [item for item in items if isinstance(item, Aim)]
        bad |= not all(check.ok for check in checks)
        print(f"{name}: checks {sum(c.ok for c in checks)}/{len(checks)} ok"
              + ("" if smoke else f", aims {sum(a.met for a in aims)}/{len(aims)} met"))
        for item in checks if smoke else items:
            if smoke or isinstance(item, Aim) or not item.ok:
                print("  " + item.line())
    for name in failed:
        print(f"{name}: FAILED to run (see above)")
    return 1 if bad or failed else 0


if __name__ == "__main__":
    sys.exit(main())
