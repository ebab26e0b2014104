"""Exactly once through a real worker killed with SIGKILL mid-batch and restarted.

The worker is a real Celery worker process on its own database (a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL), sending to the Kavenegar stand-in. The
stand-in stalls its answer to one send while the test kills the worker: the gateway has that
message, the worker never wrote so. After restart every message must reach the gateway exactly once.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
COUNT = 240

QUEUE = f"""
from aftersales.messaging.models import Message
Message.objects.bulk_create(
    [Message(channel="sms", to=f"0912{{1000000 + i:07d}}", body=f"پیام شماره {{i}}") for i in range({COUNT})]
)
"""


@pytest.fixture
def worker_database(tmp_path):
    """A database URL the test and its worker processes share, and a function running SQL on it."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        admin = f"postgresql://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        name = f"aftersales_kill_{os.getpid()}"
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin_connection.execute(f'CREATE DATABASE "{name}"')

        def query(sql):
            with psycopg.connect(f"{admin}/{name}") as db:
                return db.execute(sql).fetchall()

        yield f"{admin}/{name}", query
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "worker.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", query


def _env(database_url: str, var: Path, gateway) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "DJANGO_SETTINGS_MODULE": "aftersales.settings.dev", "DEBUG": "0", "DATABASE_URL": database_url,
            "AFTERSALES_VAR_DIR": str(var), "SMS_BACKEND": "kavenegar", "SMS_BASE_URL": gateway.url,
            "SMS_API_KEY": gateway.api_key, "MESSAGING_LEASE_SECONDS": "3", "MESSAGING_QUIET_HOURS": ""}


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)


def _start_worker(env: dict, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "aftersales", "worker", "--pool=solo", "--loglevel=warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _client(var: Path) -> Celery:
    client = Celery(broker="filesystem://", set_as_current=False)  # the suite keeps running its tasks in-process
    folder = str(var / "celery" / "broker")
    client.conf.broker_transport_options = {
        "data_folder_in": folder, "data_folder_out": folder, "control_folder": str(var / "celery" / "control")
    }
    return client


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_sends_every_message_exactly_once_after_restart(gateway, worker_database, tmp_path):
    database_url, query = worker_database
    var = tmp_path / "var"
    env = _env(database_url, var, gateway)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "shell", "-c", QUEUE)
    client = _client(var)

    gateway.delay = 0.005
    gateway.hold_after, gateway.hold_seconds = 100, 8
    first = _start_worker(env, "first")
    try:
        client.send_task("messaging.dispatch")
        assert gateway.held.wait(60), "the worker never reached the 100th message"
        os.killpg(first.pid, signal.SIGKILL)  # mid-send: the gateway has message 100, the worker has not said so
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    states = dict(query("SELECT state, COUNT(*) FROM messaging_message GROUP BY state"))
    assert states.get("sending") == 1 and states.get("sent") == 99

    gateway.hold_after = 0
    second = _start_worker(env, "second")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            client.send_task("messaging.dispatch")  # the periodic sweep's job, sped up
            time.sleep(2)
            states = dict(query("SELECT state, COUNT(*) FROM messaging_message GROUP BY state"))
            if states == {"sent": COUNT}:
                break
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(10)

    assert states == {"sent": COUNT}
    local_ids = gateway.sent_local_ids()
    assert len(local_ids) == COUNT and len(set(local_ids)) == COUNT  # every message once, none twice
    held_id = gateway.sends[99]["localid"]
    [(provider_id,)] = query(f"SELECT provider_id FROM messaging_message WHERE id = {int(held_id)}")
    assert provider_id == str(gateway.sends[99]["messageid"])  # taken from the gateway, not sent again
