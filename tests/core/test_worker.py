"""The background worker runs tasks from the default on-disk broker and from Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _start_worker(env_extra: dict) -> subprocess.Popen:
    # The worker keeps its own SQLite file in env_extra's var dir: these tests are about the broker.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env = {**env, "DJANGO_SETTINGS_MODULE": "aftersales.settings.dev", "DEBUG": "0", **env_extra}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "aftersales", "worker", "--pool=solo", "--loglevel=warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_worker_runs_a_task_from_the_on_disk_broker(tmp_path):
    var = tmp_path / "var"
    worker = _start_worker({"AFTERSALES_VAR_DIR": str(var)})
    try:
        client = Celery(broker="filesystem://", backend=f"file://{var / 'celery' / 'results'}", set_as_current=False)
        folder = str(var / "celery" / "broker")
        client.conf.broker_transport_options = {
            "data_folder_in": folder, "data_folder_out": folder, "control_folder": str(var / "celery" / "control")
        }
        started = time.monotonic()
        while not (var / "celery" / "broker").exists() and time.monotonic() - started < 20:
            time.sleep(0.2)
        assert client.send_task("core.ping").get(timeout=30) == "pong"
    finally:
        _stop(worker)


def test_worker_runs_a_task_from_redis(tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {redis_url}")
    worker = _start_worker({"REDIS_URL": redis_url, "AFTERSALES_VAR_DIR": str(tmp_path / "var")})
    try:
        client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
        assert client.send_task("core.ping").get(timeout=30) == "pong"
    finally:
        _stop(worker)
