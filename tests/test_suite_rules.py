"""Rules the suite keeps about itself (issue 13, "The tests themselves")."""

import ast
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent


def _functions(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_test_skips_itself_by_database_vendor_instead_of_carrying_the_postgres_marker():
    """A test that checks ``connection.vendor`` to skip itself on SQLite is silently skipped on PostgreSQL
    too when the check goes wrong; the ``postgres`` marker is the one switch (tests/conftest.py)."""
    offenders = []
    for path in sorted(set(TESTS.rglob("*.py")) - {Path(__file__)}):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _functions(tree):
            source = ast.unparse(function)
            if "vendor" in source and ("skip(" in source or "skipif(" in source):
                offenders.append(f"{path.relative_to(TESTS)}::{function.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and "skipif" in ast.unparse(node.func) and "vendor" in ast.unparse(node):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []


LOCK_TESTS = """
import pytest


@pytest.mark.postgres
def test_locks():
    pass


@pytest.mark.postgres
def test_skips_itself():
    pytest.skip("not today")


def test_plain():
    pass
"""


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    (folder / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n", encoding="utf-8")
    (folder / "test_locks.py").write_text(LOCK_TESTS, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\ntestpaths = .\nmarkers =\n    postgres: needs PostgreSQL\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-rs", *args],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def test_postgres_tests_are_skipped_on_sqlite_with_one_reason_and_fail_when_skipped_on_postgres(tmp_path):
    from django.db import connection

    result = _run(tmp_path)
    if connection.vendor == "postgresql":
        assert result.returncode == 1 and "1 failed, 2 passed" in result.stdout, result.stdout
        assert "a postgres test was skipped on PostgreSQL: Skipped: not today" in result.stdout
    else:
        assert result.returncode == 0 and "2 skipped" in result.stdout, result.stdout
        assert "needs PostgreSQL (row locks between connections): run it with make test-pg" in result.stdout


def test_a_whole_suite_run_on_postgres_in_which_no_postgres_test_ran_fails(tmp_path):
    from django.db import connection

    whole = _run(tmp_path, "-m", "not postgres")  # no paths: the whole suite, as `make test-pg` runs it
    narrowed = _run(tmp_path, "-m", "not postgres", "test_locks.py")
    assert narrowed.returncode == 0, narrowed.stdout
    if connection.vendor == "postgresql":
        assert whole.returncode == 1 and "none ran on PostgreSQL: the run fails" in whole.stdout, whole.stdout
    else:
        assert whole.returncode == 0, whole.stdout
