"""The nightly alarm pass of contracts and cheques (issue 17, F52) over BENCH_ALARM_ROWS open instalments and as
many open cheques (default 100,000 each) in PostgreSQL.

The fill: 2,000 active contracts of 50 responsible users (each with a mobile, so every alarm is announced
through the shipped SMS rule of ``sales_alarm``) in 10 offices, their instalments and cheques falling due
from 30 days ago to 90 days ahead, a tenth of the instalments paid, a tenth of the cheques cleared.

Measured: the first pass (the alarms written; their messages are a worker's task per batch, timed
apart) which fires every alarm due by today (about half the rows) and a second pass
the same night (fires none), each next to the baseline, the same selection as one hand-written SQL query
(what is open, due by its alarm day, and has no alarm yet). Checks: the second pass fires nothing, every
alarm fired is one the baseline selected before the pass, and each alarm of a sample of the worker's
batches gets its one message, even when the batch is announced twice.
"""

import datetime
import os
import time

from django.db import connection

ROWS = int(os.environ.get("BENCH_ALARM_ROWS", "100000"))
CONTRACTS = max(20, min(2000, ROWS // 50))
USERS, CENTERS = 50, 10
ANNOUNCED_BATCHES = 2  # of BATCH alarms each

BASELINE = """
SELECT 'instalment', i.id FROM sales_instalment i JOIN sales_contract c ON c.id = i.contract_id
 WHERE i.paid < i.amount AND c.status = 'active' AND i.due_date - c.alarm_days_before <= %(today)s
   AND NOT EXISTS (SELECT 1 FROM sales_alarm a WHERE a.instalment_id = i.id AND a.kind = 'instalment_due')
UNION ALL
SELECT 'cheque', q.id FROM sales_cheque q LEFT JOIN sales_contract c ON c.id = q.contract_id
 WHERE q.state IN ('received', 'deposited') AND q.due_date - COALESCE(c.alarm_days_before, %(days)s) <= %(today)s
   AND NOT EXISTS (SELECT 1 FROM sales_alarm a WHERE a.cheque_id = q.id AND a.kind = 'cheque_due')
UNION ALL
SELECT 'contract', c.id FROM sales_contract c
 WHERE c.status = 'active' AND c.end_date - c.alarm_days_before <= %(today)s
   AND NOT EXISTS (SELECT 1 FROM sales_alarm a WHERE a.contract_id = c.id AND a.kind = 'contract_ending')
"""


def _fill(today: datetime.date) -> None:
    from django.contrib.auth.hashers import make_password

    from aftersales.customers.models import Customer
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.services import rules_changed
    from aftersales.organization.models import ServiceCenter, User

    centers = ServiceCenter.objects.bulk_create(
        [ServiceCenter(code=f"AL{i:02d}", name=f"دفتر فروش {i}", province="تهران", city="تهران")
         for i in range(CENTERS)])
    password = make_password("bench-password")
    users = User.objects.bulk_create([User(username=f"alarm_user_{i}", password=password, first_name="کارشناس",
                                           last_name=f"فروش {i}", mobile=f"0912{i:07d}") for i in range(USERS)])
    for i, user in enumerate(users):
        user.centers.add(centers[i % CENTERS])
    customers = Customer.objects.bulk_create([Customer(kind="legal", company_name=f"شرکت بازرگانی {i}")
                                              for i in range(CONTRACTS)])
    if not EventRule.objects.filter(event="sales_alarm", is_active=True).exists():  # shipped by sales' migration
        template = MessageTemplate.objects.create(code="bench-sales-alarm", name="هشدار فروش", channel="sms",
                                                  kind="service", body="{text}")
        EventRule.objects.create(event="sales_alarm", template=template, recipient="responsible")
    rules_changed()
    params = {"today": today, "contracts": CONTRACTS, "rows": ROWS, "users": [u.pk for u in users],
              "centers": [c.pk for c in centers], "customers": [c.pk for c in customers]}
    with connection.cursor() as cursor:
        # Contracts: a year long, ending from 20 days to a year ahead; 7 alarm days before.
        cursor.execute("""
            INSERT INTO sales_contract (center_id, number, kind, title, customer_id, start_date, end_date, value,
                                        status, responsible_id, alarm_days_before, visits_included, parts_covered,
                                        note, created_at)
            SELECT (%(centers)s::int[])[1 + n %% 10], 'B-' || n, 'supply', 'قرارداد تأمین سالانه ' || n,
                   (%(customers)s::int[])[n], %(today)s::date - 200, %(today)s::date + 20 + (n %% 345),
                   1000000000, 'active', (%(users)s::int[])[1 + n %% 50], 7, 0, false, '', now()
              FROM generate_series(1, %(contracts)s) AS n""", params)
        cursor.execute("""
            INSERT INTO sales_instalment (contract_id, due_date, amount, paid)
            SELECT c.id, %(today)s::date - 30 + (n %% 120), 5000000, CASE WHEN n %% 10 = 0 THEN 5000000 ELSE 0 END
              FROM generate_series(1, %(rows)s) AS n
              JOIN sales_contract c ON c.number = 'B-' || (1 + n %% %(contracts)s)""", params)
        cursor.execute("""
            INSERT INTO sales_cheque (center_id, customer_id, contract_id, sayad_number, bank, amount, due_date, state,
                                      returned_reason, responsible_id, received_at)
            SELECT c.center_id, c.customer_id, CASE WHEN n %% 2 = 0 THEN c.id END, lpad(n::text, 16, '0'), 'ملت',
                   5000000, %(today)s::date - 30 + (n %% 120),
                   CASE WHEN n %% 10 = 0 THEN 'cleared' WHEN n %% 3 = 0 THEN 'deposited' ELSE 'received' END,
                   '', c.responsible_id, now()
              FROM generate_series(1, %(rows)s) AS n
              JOIN sales_contract c ON c.number = 'B-' || (1 + n %% %(contracts)s)""", params)
        cursor.execute("ANALYZE sales_contract; ANALYZE sales_instalment; ANALYZE sales_cheque; ANALYZE sales_alarm")


def _baseline(today: datetime.date) -> tuple[set, float]:
    from aftersales.sales.alarms import cheque_alarm_days

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(BASELINE, {"today": today, "days": cheque_alarm_days()})
        rows = set(cursor.fetchall())
    return rows, time.perf_counter() - started


def run(url: str) -> list:
    from django.utils import timezone

    from aftersales.messaging.models import Message
    from aftersales.sales.alarms import alarms_fire
    from aftersales.sales.models import Alarm
    from benchmarks.report import Aim, Check

    today = timezone.localdate()
    started = time.perf_counter()
    _fill(today)
    print(f"  filled {ROWS:,} instalments, {ROWS:,} cheques, {CONTRACTS:,} contracts in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    from aftersales.sales import tasks
    from aftersales.sales.alarms import alarms_announce_ids

    queued = []  # the batches the pass hands the worker, announced below as the worker would
    tasks.alarms_announce.delay = queued.append
    selected, baseline_first = _baseline(today)
    started = time.perf_counter()
    fired = alarms_fire(today=today)
    first = time.perf_counter() - started
    _, baseline_second = _baseline(today)
    started = time.perf_counter()
    fired_again = alarms_fire(today=today)
    second = time.perf_counter() - started
    # The worker's side, on a sample of batches (a message per alarm: minutes for all of them on this machine),
    # then the same batches again (a retried task): nothing more is written.
    sample = queued[:ANNOUNCED_BATCHES]
    sampled = sum(len(ids) for ids in sample)
    started = time.perf_counter()
    for ids in sample:
        alarms_announce_ids(ids)
    announce = time.perf_counter() - started
    messages = Message.objects.filter(event="sales_alarm").count()
    for ids in sample:
        alarms_announce_ids(ids)
    messages_again = Message.objects.filter(event="sales_alarm").count()
    print(f"  the worker's announcing of {sampled:,} alarms ({len(sample)} of {len(queued)} batches): {announce:.2f} s "
          f"({announce / max(sampled, 1) * 1000:.2f} ms an alarm)", flush=True)
    written = set()
    for kind, instalment, cheque, contract in Alarm.objects.values_list("kind", "instalment_id", "cheque_id",
                                                                        "contract_id"):
        written.add(("instalment", instalment) if kind == "instalment_due" else ("cheque", cheque)
                    if kind == "cheque_due" else ("contract", contract))
    return [
        Aim(f"first nightly pass ({fired:,} alarms fired, baseline {baseline_first:.2f} s)", first, 10, "s",
            source="issue 17"),
        Aim(f"second pass the same night (none fired, baseline {baseline_second:.2f} s)", second, 10, "s",
            source="issue 17"),
        Check("the first pass fires what the baseline selects", written == selected and fired == len(selected),
              f"{fired:,} fired, {len(selected):,} selected"),
        Check("the second pass fires nothing", fired_again == 0, f"{fired_again:,}"),
        Check("each alarm announced has one message, once", messages == messages_again == sampled,
              f"{sampled:,} alarms announced, {messages:,} messages, {messages_again:,} after a retry"),
    ]
