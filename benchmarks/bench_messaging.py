"""Sending 100,000 queued SMS through real worker processes to a local stand-in of Kavenegar's API.

Baseline: the stand-in's own raw rate, the same number of client threads as worker processes posting
``sms/send`` to it as fast as they can (no database, no outbox). Measured: the outbox, Celery
workers claiming, sending and recording each message (4 queries and one HTTP call a message),
from the first task sent to the last message recorded as sent.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from celery import Celery

from tests.messaging.standin import Gateway

MESSAGES = int(os.environ.get("BENCH_SMS_MESSAGES", "100000"))
WORKERS = int(os.environ.get("BENCH_SMS_WORKERS", "4"))
RAW = min(20_000, MESSAGES * 2)  # requests for the stand-in's raw rate
ROOT = Path(__file__).resolve().parents[1]


def _raw_rate(gateway: Gateway, count: int) -> float:
    per_thread = count // WORKERS

    def post():
        with requests.Session() as session:
            for index in range(per_thread):
                session.post(f"{gateway.url}/v1/{gateway.api_key}/sms/send.json",
                             data={"receptor": "09121234567", "message": "پیام آزمایشی", "localid": f"raw-{index}"})

    threads = [threading.Thread(target=post) for _ in range(WORKERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_thread * WORKERS / (time.perf_counter() - started)


def run(url: str) -> list:
    from aftersales.messaging.models import Message
    from benchmarks.report import Check

    gateway = Gateway().start()
    try:
        raw = _raw_rate(gateway, RAW)
        Message.objects.all().delete()
        started = time.perf_counter()
        batch = 10_000
        for offset in range(0, MESSAGES, batch):
            Message.objects.bulk_create(
                [Message(channel="sms", to=f"0912{i:07d}", body=f"مشتری گرامی، کد پیگیری شما {i} است.")
                 for i in range(offset, min(offset + batch, MESSAGES))]
            )
        queued_in = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "aftersales.settings.dev",
                   "DEBUG": "0", "AFTERSALES_VAR_DIR": var,
                   "SMS_BACKEND": "kavenegar", "SMS_BASE_URL": gateway.url, "SMS_API_KEY": gateway.api_key,
                   "MESSAGING_QUIET_HOURS": ""}
            env.pop("REDIS_URL", None)
            workers = [subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "aftersales", "worker", "--pool=solo", "--loglevel=error",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench{index}@%h"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for index in range(WORKERS)]
            try:
                client = Celery(broker="filesystem://", set_as_current=False)
                folder = str(Path(var) / "celery" / "broker")
                client.conf.broker_transport_options = {"data_folder_in": folder, "data_folder_out": folder,
                                                        "control_folder": str(Path(var) / "celery" / "control")}
                time.sleep(3)  # the workers start
                started = time.perf_counter()
                for _ in range(WORKERS * 3):  # each run stops after 4 minutes; more tasks keep every worker busy
                    client.send_task("messaging.dispatch")
                sent, last_progress = 0, time.perf_counter()
                while sent < MESSAGES and time.perf_counter() - started < 1800:
                    time.sleep(1)
                    now_sent = Message.objects.filter(state=Message.State.SENT).count()
                    if now_sent != sent:
                        sent, last_progress = now_sent, time.perf_counter()
                    elif time.perf_counter() - last_progress > 10:
                        # Every dispatch run ended (on a loaded machine they send fewer in their 4 minutes): the
                        # beat would start more, so does the bench.
                        for _ in range(WORKERS):
                            client.send_task("messaging.dispatch")
                        last_progress = time.perf_counter()
                elapsed = time.perf_counter() - started
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(30)
        gateway_sends = len(gateway.sends) - RAW // WORKERS * WORKERS
        duplicates = gateway_sends - len(set(gateway.sent_local_ids()[-gateway_sends:])) if gateway_sends else 0
        print(f"  queued {MESSAGES:,} messages in {queued_in:.1f} s (bulk insert)")
        print(f"  baseline: stand-in raw rate, {WORKERS} client threads: {raw:,.0f} requests/s")
        print(f"  outbox through {WORKERS} worker processes: {sent:,} sent in {elapsed:.1f} s = {sent / elapsed:,.0f} messages/s "
              f"({sent / elapsed / raw:.0%} of the raw rate); gateway took {gateway_sends:,}, duplicates {duplicates}")
        Message.objects.all().delete()
    finally:
        gateway.stop()
    return [
        Check("every queued message sent (nothing lost)", sent == MESSAGES, f"{sent:,} of {MESSAGES:,}"),
        Check("the gateway got each message once (exactly once)", gateway_sends == MESSAGES and duplicates == 0,
              f"{gateway_sends:,} sends, {duplicates} duplicates"),
    ]
