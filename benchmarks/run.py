"""Run every benchmark (``bench_*.py`` beside this file) against PostgreSQL and print its figures.

``BENCH_DATABASE_URL`` names the database (default: a local ``aftersales_bench``, created and
migrated when missing). Each benchmark prints its numbers next to a baseline measured in the same run.
"""

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench"


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.dev")
    os.environ["DEBUG"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    only = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if only and path.stem not in only:
            continue
        print(f"\n== {path.stem}")
        importlib.import_module(f"benchmarks.{path.stem}").run(url)


if __name__ == "__main__":
    main()
