"""Management reports (issue 15) with BENCH_REPORT_ORDERS repair orders (default 1,000,000), three
fault/operation/part lines per order, BENCH_REPORT_UNITS serials (default 10,000,000) and
BENCH_REPORT_CENTERS centers (default 1,000, the issue's network), in PostgreSQL, through the real
HTTP stack (gunicorn, as bench_repairs) as a head-office manager with an API token.

The orders are spread over the last thirteen Jalali months; most are handed back (delivered), 2 %
cancelled, the rest still open. Each has its workflow moves with the seconds spent in the state it
left (5 % went back from quality control once), ~40 % are under warranty, fault codes follow a
steep Pareto, one order in twenty is a unit coming back; a fifth of the paid hand-backs have an
invoice (most paid) and a tenth of the hand-backs a survey (60 % answered). The orders' summary flags
(reworked, come back within 30 days) are set from those moves and receptions, and the centers' days
and months in each state, the network's months of fault codes and of spare parts and the units sold
per model and production day and the centers' billing days (repairs.CenterDay, CenterStateMonth,
FaultMonth, PartMonth, catalog.UnitsSold, billing.CenterBillingDay) rebuilt from the records, as
the services keep them.

Measured, p50 of BENCH_REPORT_RUNS runs after a warm-up: center-performance and failure-causes for
the last twelve full Jalali months, all centers, each next to the same aggregates as hand-written SQL
in the same run; receptions-trend for the last 12 months; center-performance as PDF and as Excel
over HTTP (one row per center: at 1,000 centers, a 1,000-row main table plus the 1,000-row table
of hours per state), with the gunicorn workers' peak memory; and the same PDF and Excel made by a
separate process as the worker makes them for a mailed report, with its peak memory.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import serving

ORDERS = int(os.environ.get("BENCH_REPORT_ORDERS", "1000000"))
UNITS = int(os.environ.get("BENCH_REPORT_UNITS", "10000000"))
CENTERS = int(os.environ.get("BENCH_REPORT_CENTERS", "1000"))
RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "5"))
FAULT_CODES, PARTS, SERVICES, MODELS = 120, 300, 40, 24
PROVINCES = ("تهران", "اصفهان", "خراسان رضوی", "فارس", "آذربایجان شرقی", "خوزستان", "مازندران", "کرمان")
ROOT = Path(__file__).resolve().parent.parent


def _year():
    """The last twelve full Jalali months (e.g. 1404/09/01 … 1405/08/30 on 1405/09/12)."""
    from django.utils import timezone

    from aftersales.reports.periods import add_months, month_start

    today = timezone.localdate()
    return add_months(today, -12), month_start(today) - datetime.timedelta(days=1)


def _reference() -> dict:
    """Centers, one technician each, a receptionist, a head-office manager, customers and the catalog."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from aftersales.catalog.models import Brand, FaultCode, ProductGroup, ProductModel, ServiceItem, SparePart
    from aftersales.customers.models import Customer
    from aftersales.organization.models import CenterMembership, ServiceCenter, User
    from aftersales.organization.roles import sync_roles

    sync_roles()
    have = {center.code: center for center in ServiceCenter.objects.filter(code__startswith="RC")}
    for index in range(1, CENTERS + 1):
        code = f"RC{index:04d}"
        if code not in have:
            have[code] = ServiceCenter.objects.create(code=code, name=f"مرکز گزارش {index:04d}",
                                                      province=PROVINCES[index % len(PROVINCES)], city="شهر")
    centers = [have[f"RC{index:04d}"] for index in range(1, CENTERS + 1)]
    technicians = list(User.objects.filter(username__startswith="bench-rtech-").order_by("username"))
    if len(technicians) < CENTERS:
        password = make_password("bench")
        User.objects.bulk_create([User(username=f"bench-rtech-{i:04d}", password=password, first_name="تکنسین",
                                       last_name=str(i)) for i in range(len(technicians), CENTERS)])
        technicians = list(User.objects.filter(username__startswith="bench-rtech-").order_by("username"))
        CenterMembership.objects.bulk_create([CenterMembership(user=user, center=centers[i])
                                              for i, user in enumerate(technicians)], ignore_conflicts=True)
        Group.objects.get(name="technician").user_set.add(*technicians)
    reception, _ = User.objects.get_or_create(username="bench-rreception", defaults={"first_name": "پذیرش"})
    head, created = User.objects.get_or_create(username="bench-head-office", defaults={"first_name": "ستاد"})
    if created:
        Group.objects.get(name="head_office_manager").user_set.add(head)
    if Customer.objects.filter(mobile__startswith="0918").count() < 20_000:
        Customer.objects.bulk_create([Customer(kind="person", first_name="مشتری", last_name=str(i), mobile=f"0918{i:07d}")
                                      for i in range(20_000)], batch_size=5000, ignore_conflicts=True)
    customers = list(Customer.objects.filter(mobile__startswith="0918").values_list("pk", flat=True)[:20_000])
    brand, _ = Brand.objects.get_or_create(code="BENCHRP", defaults={"name": "bench reports"})
    groups = [ProductGroup.objects.get_or_create(code=f"BRG{g}", defaults={"name": name})[0]
              for g, name in enumerate(("یخچال", "لباسشویی", "کولر", "اجاق"))]
    models = [ProductModel.objects.get_or_create(brand=brand, code=f"RM{m:02d}", defaults={
        "name": f"مدل {m:02d}", "group": groups[m % len(groups)]})[0] for m in range(MODELS)]
    faults = [FaultCode.objects.get_or_create(code=f"RF{f:03d}", defaults={
        "title": f"عیب {f:03d}", "product_group": groups[f % len(groups)]})[0] for f in range(FAULT_CODES)]
    parts = [SparePart.objects.get_or_create(code=f"RSP{p:03d}", defaults={"name": f"قطعه {p:03d}", "price": 100_000 * (1 + p % 40)})[0]
             for p in range(PARTS)]
    services = [ServiceItem.objects.get_or_create(code=f"RSV{s:02d}", defaults={
        "title": f"خدمت {s:02d}", "product_group": groups[s % len(groups)], "labour_price": 500_000})[0]
        for s in range(SERVICES)]
    return {"centers": [c.pk for c in centers], "technicians": [t.pk for t in technicians], "reception": reception.pk,
            "head": head, "token": Token.objects.get_or_create(user=head)[0].key, "customers": customers,
            "brand": brand.pk, "models": [m.pk for m in models], "faults": [f.pk for f in faults],
            "parts": [p.pk for p in parts], "services": [s.pk for s in services]}


def _insert(db, model, given: str, select: str, params: dict) -> int:
    """``INSERT INTO model (given + every other NOT NULL column at its default) SELECT …``; rows written."""
    more, values = serving.defaults(model, given)
    extra = {f"d{index}": value for index, value in enumerate(values)}
    select = select.replace("{defaults}", "".join(f", %({key})s" for key in extra))
    return db.execute(f"INSERT INTO {model._meta.db_table} ({given}{more}) {select}", {**params, **extra}).rowcount


def _fill(url: str, ref: dict) -> None:
    """Units, orders and their lines, workflow moves, invoices, payments and surveys, once."""
    import psycopg

    from aftersales.billing.models import Invoice, Payment
    from aftersales.catalog.models import ProductUnit
    from aftersales.feedback.models import Survey
    from aftersales.repairs.models import OrderFault, Operation, PartLine, RepairOrder
    from aftersales.reports.periods import day_start
    from aftersales.workflow.models import State, TransitionLog

    start, _end = _year()
    with psycopg.connect(url, autocommit=True) as db:
        have = db.execute("SELECT count(*) FROM catalog_productunit WHERE brand_id = %s", [ref["brand"]]).fetchone()[0]
        started = time.perf_counter()
        step = 1_000_000
        for low in range(have + 1, UNITS + 1, step):
            high = min(low + step - 1, UNITS)
            # Models in turn; made over three years; batches per production month; sold within 90 days.
            _insert(db, ProductUnit, "serial, serial_key, brand_id, product_model_id, production_date, sale_date, batch, "
                    "batch_key, status, created_at, updated_at", """
                SELECT 'RP-' || lpad(n::text, 9, '0'), 'RP' || lpad(n::text, 9, '0'), %(brand)s,
                       (%(models)s::bigint[])[1 + (n - 1) %% %(n_models)s::int], p, p + (n %% 90)::int,
                       'L' || to_char(p, 'YYMM'), 'L' || to_char(p, 'YYMM'), 'sold', now(), now() {defaults}
                FROM (SELECT n, current_date - 1100 + ((n * 37) %% 1000)::int AS p
                      FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS n) AS s""",
                    {"brand": ref["brand"], "models": ref["models"], "n_models": len(ref["models"]), "low": low, "high": high})
            print(f"(units {high:,} of {UNITS:,}, {time.perf_counter() - started:.0f} s)", flush=True)
        first_unit, last_unit, units = db.execute("SELECT min(id), max(id), count(*) FROM catalog_productunit "
                                                  "WHERE brand_id = %s", [ref["brand"]]).fetchone()
        if last_unit - first_unit + 1 != units:
            raise RuntimeError("the benchmark's units must have consecutive ids (start from a fresh database)")
        if db.execute("SELECT count(*) FROM repairs_repairorder WHERE number LIKE 'RP-%%'").fetchone()[0] >= ORDERS:
            return
        _clear(db)  # a half-made fill
        states = {code: pk for code, pk in State.objects.filter(workflow__code="repair").values_list("code", "pk")}
        now = datetime.datetime.now(datetime.UTC)
        t0 = day_start(start - datetime.timedelta(days=35))
        started = time.perf_counter()
        print(f"(filling {ORDERS:,} repair orders over {(now - t0).days} days in {CENTERS:,} centers…)", flush=True)
        # Received evenly over the window; a planned turnaround of 2 h … 17 days (most a few days), kept
        # as due_at; handed back at the plan's end if that is past, otherwise in the state the plan has
        # reached by now. Centers of uneven size; one order in twenty brings back a unit seen ~10 days before.
        back = max(ORDERS // 40, 1) | 1  # odd: the order that many before is not itself a return (i % 20 == 3)
        _insert(db, RepairOrder, "number, tracking_code, center_id, kind, customer_id, unit_id, product_model_id, serial, "
                "accessories, condition, description, address, received_at, received_by_id, warranty_state, "
                "warranty_rule, is_warranty, warranty_override_reason, state_id, version, state_entered_at, due_at, "
                "assignee_id, estimate_status, handed_back_to, handed_back_at", """
            SELECT 'RP-' || i, upper(substr(md5('rp' || i), 1, 14)), (%(centers)s::bigint[])[1 + c], kind,
                (%(customers)s::bigint[])[1 + i %% %(n_customers)s::int], %(first_unit)s + u,
                (%(models)s::bigint[])[1 + u %% %(n_models)s::int], 'RP-' || lpad((u + 1)::text, 9, '0'), '', '', 'bench', '',
                received, %(reception)s, 'active', '', warranty, '',
                CASE WHEN i %% 50 = 0 THEN %(cancelled)s
                     WHEN received + plan <= %(now)s THEN CASE WHEN i %% 33 = 0 THEN %(returned)s ELSE %(delivered)s END
                     WHEN received + plan * 0.8 <= %(now)s THEN %(ready)s
                     WHEN received + plan * 0.7 <= %(now)s THEN %(quality_check)s
                     WHEN received + plan * 0.3 <= %(now)s THEN %(repairing)s
                     WHEN received + plan * 0.1 <= %(now)s THEN %(diagnosing)s ELSE %(received)s END,
                3, received, received + plan, (%(technicians)s::bigint[])[1 + c], 'none', '',
                CASE WHEN i %% 50 <> 0 AND received + plan <= %(now)s THEN received + plan END
                {defaults}
            FROM (SELECT i, %(t0)s + (i - 1) * %(spacing)s * interval '1 second' + random() * %(spacing)s * interval '1 second' AS received,
                         interval '1 hour' * (2 + 400 * random() ^ 2) AS plan,
                         floor(%(n_centers)s * random() ^ 1.5)::int AS c, random() < 0.4 AS warranty,
                         CASE WHEN random() < 0.75 THEN 'in_center' WHEN random() < 0.8 THEN 'home' ELSE 'installation' END AS kind,
                         (CASE WHEN i %% 20 = 3 AND i > %(back)s THEN i - %(back)s ELSE i END - 1) %% %(units)s AS u
                  FROM generate_series(1, %(orders)s::bigint) AS i) AS s""",
            {"centers": ref["centers"], "n_centers": CENTERS, "customers": ref["customers"],
             "n_customers": len(ref["customers"]), "first_unit": first_unit, "models": ref["models"],
             "n_models": len(ref["models"]), "reception": ref["reception"], "technicians": ref["technicians"],
             "now": now, "t0": t0, "spacing": (now - t0).total_seconds() / ORDERS, "back": back, "units": UNITS,
             "orders": ORDERS, **{key: states[key] for key in (
                 "cancelled", "returned_unrepaired", "delivered", "ready", "quality_check", "repairing", "diagnosing",
                 "received")}, "returned": states["returned_unrepaired"]})
        print(f"(orders in {time.perf_counter() - started:.0f} s)", flush=True)
        orders = "FROM repairs_repairorder o WHERE o.number LIKE 'RP-%%'"
        skew = {"faults": ref["faults"], "n_faults": len(ref["faults"]), "parts": ref["parts"], "n_parts": len(ref["parts"]),
                "services": ref["services"], "n_services": len(ref["services"])}
        # Fault codes on a steep Pareto (the first code ~20 % of faults); a second, found fault on a fifth.
        lines = _insert(db, OrderFault, "order_id, source, fault_code_id, note, recorded_by_id, recorded_at", f"""
            SELECT o.id, 'reported', (%(faults)s::bigint[])[1 + floor(%(n_faults)s * random() ^ 3)::int], '', NULL,
                   o.received_at {{defaults}} {orders}""", skew)
        lines += _insert(db, OrderFault, "order_id, source, fault_code_id, note, recorded_by_id, recorded_at", f"""
            SELECT o.id, 'found', (%(faults)s::bigint[])[1 + floor(%(n_faults)s * random() ^ 2)::int], '', o.assignee_id,
                   o.received_at + (o.due_at - o.received_at) * 0.2 {{defaults}} {orders} AND o.id %% 5 = 0""", skew)
        lines += _insert(db, Operation, "order_id, service_item_id, minutes, technician_id, note, performed_at", f"""
            SELECT o.id, (%(services)s::bigint[])[1 + floor(%(n_services)s * random() ^ 2)::int], 15 + (o.id %% 8) * 15,
                   o.assignee_id, '', o.received_at + (o.due_at - o.received_at) * 0.6 {{defaults}}
            {orders} AND o.handed_back_at IS NOT NULL""", skew)
        lines += _insert(db, PartLine, "order_id, spare_part_id, quantity, status, note, requested_by_id, requested_at, "
                         "issued_quantity, returned_quantity, unit_cost, unit_price, is_warranty, issued_at, old_serial, "
                         "new_serial, old_part_fate, version", f"""
            SELECT o.id, (%(parts)s::bigint[])[1 + floor(%(n_parts)s * random() ^ 2)::int], 1, 'issued', '', o.assignee_id,
                   o.received_at + (o.due_at - o.received_at) * 0.3, 1, 0, 800000, 1000000, o.is_warranty,
                   o.received_at + (o.due_at - o.received_at) * 0.4, '', '', 'pending', 1 {{defaults}}
            {orders} AND random() < 0.9""", skew)
        print(f"({lines:,} fault, operation and part lines, {time.perf_counter() - started:.0f} s)", flush=True)
        _fill_moves(db, orders, states, now)
        print(f"(workflow moves, {time.perf_counter() - started:.0f} s)", flush=True)
        _fill_flags(db, orders)
        print(f"(rework and come-back flags, {time.perf_counter() - started:.0f} s)", flush=True)
        from aftersales.catalog.tallies import units_sold_rebuild
        from aftersales.repairs.tallies import (center_days_rebuild, center_state_months_rebuild, fault_months_rebuild,
                                                part_months_rebuild)

        days = center_days_rebuild()  # what the services keep as they go, for orders written around them
        months, faults, parts = center_state_months_rebuild(), fault_months_rebuild(), part_months_rebuild()
        sold = units_sold_rebuild()
        print(f"({days:,} centers' days, {months:,} centers' months in a state, {faults:,} and {parts:,} months of "
              f"fault codes and parts, {sold:,} production days' units sold, {time.perf_counter() - started:.0f} s)",
              flush=True)
        _insert(db, Invoice, "center_id, number, kind, customer_id, subtotal, discount, vat_percent, vat, total, note, "
                "issued_at, issued_by_id", f"""
            SELECT o.center_id, 'RI-' || o.id, 'service', o.customer_id, a, 0, 0, 0, a, '', o.handed_back_at, NULL {{defaults}}
            FROM (SELECT o.*, 1000000 * (1 + o.id %% 30) AS a {orders}
                  AND o.handed_back_at IS NOT NULL AND NOT o.is_warranty AND o.id %% 5 = 0) AS o""", {})
        _insert(db, Payment, "invoice_id, method, amount, reference, paid_at, by_id", """
            SELECT i.id, 'card', CASE WHEN i.id %% 7 = 0 THEN i.total / 2 ELSE i.total END, '', i.issued_at, NULL {defaults}
            FROM billing_invoice i WHERE i.number LIKE 'RI-%%' AND i.id %% 10 <> 0""", {})
        _insert(db, Survey, "token, customer_id, mobile, center_id, technician_id, product_model_id, ref, created_at, "
                "expires_at, score, recommend, comment, answered_at", f"""
            SELECT md5('rs' || o.id), o.customer_id, '09180000000', o.center_id, o.assignee_id, o.product_model_id,
                   'repairs.repairorder:' || o.id, o.handed_back_at, o.handed_back_at + interval '7 days',
                   CASE WHEN o.id %% 5 < 3 THEN 1 + (o.id / 10) %% 5 END, CASE WHEN o.id %% 5 < 3 THEN (o.id / 10) %% 11 END,
                   '', CASE WHEN o.id %% 5 < 3 THEN o.handed_back_at + interval '1 day' END {{defaults}}
            {orders} AND o.handed_back_at IS NOT NULL AND o.id %% 10 = 1""", {})
        from aftersales.billing.tallies import billing_days_rebuild

        print(f"({billing_days_rebuild():,} centers' billing days, {time.perf_counter() - started:.0f} s)", flush=True)
        db.execute("ANALYZE")
        print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)


def _clear(db) -> None:
    """Remove what an interrupted fill left behind (the units stay: they are filled step by step)."""
    mine = "SELECT id FROM repairs_repairorder WHERE number LIKE 'RP-%%'"
    db.execute(f"DELETE FROM workflow_transitionlog WHERE object_id IN ({mine}) AND content_type_id = (SELECT id FROM "
               "django_content_type WHERE app_label = 'repairs' AND model = 'repairorder')")
    db.execute("DELETE FROM feedback_survey WHERE token = md5('rs' || substr(ref, 21))")
    db.execute("DELETE FROM billing_payment WHERE invoice_id IN (SELECT id FROM billing_invoice WHERE number LIKE 'RI-%%')")
    db.execute("DELETE FROM billing_invoice WHERE number LIKE 'RI-%%'")
    for table in ("repairs_orderfault", "repairs_operation", "repairs_partline"):
        db.execute(f"DELETE FROM {table} WHERE order_id IN ({mine})")
    db.execute("DELETE FROM repairs_repairorder WHERE number LIKE 'RP-%%'")


#: The moves of an order that went the whole way, as (transition, share of its planned turnaround):
#: 4 and 5 only for the orders quality control sent back once; the last is hand_back or return_unrepaired.
_MOVES = [(1, "start_diagnosis", 0.1), (2, "start_repair", 0.3), (3, "to_quality_check", 0.7), (4, "quality_failed", 0.75),
          (5, "to_quality_check", 0.78), (6, "quality_passed", 0.8), (7, "hand_back", 1.0), (8, "return_unrepaired", 1.0),
          (9, "cancel", 0.05)]


def _fill_moves(db, orders: str, states: dict, now) -> None:
    from aftersales.workflow.models import Transition, TransitionLog

    content_type = db.execute("SELECT id FROM django_content_type WHERE app_label = 'repairs' "
                              "AND model = 'repairorder'").fetchone()[0]
    transitions = {code: (pk, source, target) for code, pk, source, target in Transition.objects.filter(
        workflow__code="repair").values_list("code", "pk", "source_id", "target_id")}
    steps = ", ".join(f"({number}, {transitions[code][0]}, {transitions[code][1]}, {transitions[code][2]}, {share})"
                      for number, code, share in _MOVES)
    given = "content_type_id, object_id, transition_id, source_id, target_id, by_id, at, comment, data, seconds_in_source"
    # The reception itself: no source, no time.
    _insert(db, TransitionLog, given, f"""
        SELECT %(ct)s, o.id, NULL, NULL, %(received)s, o.received_by_id, o.received_at, '', '{{}}', NULL {{defaults}}
        {orders}""", {"ct": content_type, "received": states["received"]})
    # Each later move happened at its share of the plan if that is past; its seconds in the state it
    # left run from the move before (quality_passed follows the second check on a reworked order).
    _insert(db, TransitionLog, given, f"""
        SELECT %(ct)s, o.id, s.transition, s.source, s.target, o.assignee_id, o.received_at + plan * s.share, '', '{{}}',
               extract(epoch FROM plan * (s.share - CASE s.number WHEN 1 THEN 0 WHEN 9 THEN 0 WHEN 2 THEN 0.1
                   WHEN 3 THEN 0.3 WHEN 4 THEN 0.7 WHEN 5 THEN 0.75 WHEN 6 THEN CASE WHEN reworked THEN 0.78 ELSE 0.7 END
                   ELSE 0.8 END))::bigint {{defaults}}
        FROM (SELECT o.*, o.due_at - o.received_at AS plan, o.id %% 20 = 7 AS reworked {orders}) AS o
        JOIN (VALUES {steps}) AS s (number, transition, source, target, share)
          ON o.received_at + plan * s.share <= %(now)s
         AND CASE WHEN o.state_id = %(cancelled)s THEN s.number = 9
                  ELSE s.number <> 9 AND (s.number NOT IN (4, 5) OR reworked)
                       AND (s.number <> 7 OR o.state_id = %(delivered)s) AND (s.number <> 8 OR o.state_id = %(returned)s) END""",
            {"ct": content_type, "now": now, "cancelled": states["cancelled"], "delivered": states["delivered"],
             "returned": states["returned_unrepaired"]})


def _fill_flags(db, orders: str) -> None:
    """The summary flags the services keep on an order, set from the moves and receptions just written:
    reworked if quality control sent it back (a quality_failed move); come back if its unit was received
    again within 30 days of its hand-back."""
    db.execute(f"""
        UPDATE repairs_repairorder SET is_reworked = true WHERE id IN (
            SELECT l.object_id FROM workflow_transitionlog l JOIN workflow_transition t ON t.id = l.transition_id
            WHERE t.code = 'quality_failed' AND l.content_type_id = ({CONTENT_TYPE}))
          AND id IN (SELECT o.id {orders})""", {})
    db.execute(f"""
        UPDATE repairs_repairorder o SET has_come_back = true
        WHERE o.number LIKE 'RP-%%' AND o.handed_back_at IS NOT NULL AND EXISTS (
            SELECT 1 FROM repairs_repairorder r WHERE r.unit_id = o.unit_id AND r.received_at > o.handed_back_at
            AND r.received_at <= o.handed_back_at + interval '30 days')""", {})


def _get(link, path: str, token: str) -> bytes:
    link.request("GET", path, headers={"Authorization": f"Token {token}"})
    response = link.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}: {body[:300]!r}")
    return body


def _p50(work, runs: int = RUNS) -> tuple[float, object]:
    """Milliseconds, median of ``runs`` calls after one warm-up call; and the last call's answer."""
    answer = work()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, answer


CONTENT_TYPE = "SELECT id FROM django_content_type WHERE app_label = 'repairs' AND model = 'repairorder'"

# The same numbers as center-performance's tables, hand-written: one statement for the per-center
# table (rework and come-back read from the order's summary flags, as the report does), one for the
# hours per state.
CENTER_SQL = """
WITH received AS (
    SELECT center_id, count(*) AS receptions, count(*) FILTER (WHERE is_warranty) AS warranty
    FROM repairs_repairorder WHERE received_at >= %(since)s AND received_at < %(until)s GROUP BY 1),
handed AS (
    SELECT o.center_id, extract(epoch FROM o.handed_back_at - o.received_at) AS seconds,
           o.is_reworked AS reworked, o.has_come_back AS returned
    FROM repairs_repairorder o WHERE o.handed_back_at >= %(since)s AND o.handed_back_at < %(until)s),
handbacks AS (
    SELECT center_id, count(*) AS handbacks, avg(seconds) AS turnaround,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90,
           count(*) FILTER (WHERE reworked) AS rework, count(*) FILTER (WHERE returned) AS returns,
           count(*) FILTER (WHERE NOT reworked AND NOT returned) AS first_time
    FROM handed GROUP BY 1),
still_open AS (
    SELECT o.center_id, count(*) AS open FROM repairs_repairorder o JOIN workflow_state s ON s.id = o.state_id
    WHERE o.received_at < %(until)s AND (o.handed_back_at >= %(until)s OR (o.handed_back_at IS NULL AND NOT s.is_final))
    GROUP BY 1),
invoiced AS (
    SELECT i.center_id, sum(i.total) AS invoiced FROM billing_invoice i LEFT JOIN billing_invoice c ON c.id = i.credit_of_id
    WHERE (i.kind = 'service' OR (i.kind = 'credit' AND c.kind = 'service'))
      AND i.issued_at >= %(since)s AND i.issued_at < %(until)s GROUP BY 1),
owed AS (
    SELECT i.center_id, sum(i.total) - coalesce(sum(p.paid), 0) AS owed FROM billing_invoice i
    LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM billing_payment GROUP BY 1) p ON p.invoice_id = i.id
    WHERE i.kind = 'service' AND i.issued_at >= %(since)s AND i.issued_at < %(until)s
      AND NOT EXISTS (SELECT 1 FROM billing_invoice c WHERE c.credit_of_id = i.id) GROUP BY 1),
paid AS (
    SELECT i.center_id, sum(p.amount) AS paid FROM billing_payment p JOIN billing_invoice i ON i.id = p.invoice_id
    WHERE p.paid_at >= %(since)s AND p.paid_at < %(until)s GROUP BY 1),
votes AS (
    SELECT center_id, avg(score) AS score, count(recommend) AS answers, count(*) FILTER (WHERE recommend >= 9) AS promoters,
           count(*) FILTER (WHERE recommend <= 6) AS detractors
    FROM feedback_survey WHERE answered_at >= %(since)s AND answered_at < %(until)s GROUP BY 1)
SELECT c.name, received.receptions, received.warranty, handbacks.handbacks, handbacks.turnaround, handbacks.p90,
       handbacks.rework, handbacks.returns, handbacks.first_time, still_open.open, invoiced.invoiced, owed.owed,
       paid.paid, votes.score, votes.answers, votes.promoters, votes.detractors
FROM organization_servicecenter c
LEFT JOIN received ON received.center_id = c.id LEFT JOIN handbacks ON handbacks.center_id = c.id
LEFT JOIN still_open ON still_open.center_id = c.id LEFT JOIN invoiced ON invoiced.center_id = c.id
LEFT JOIN owed ON owed.center_id = c.id LEFT JOIN paid ON paid.center_id = c.id LEFT JOIN votes ON votes.center_id = c.id
WHERE COALESCE(received.receptions, handbacks.handbacks, still_open.open, invoiced.invoiced, paid.paid, votes.answers) IS NOT NULL
"""

STATE_SQL = """
SELECT c.name, l.source_id, avg(l.seconds_in_source)
FROM workflow_transitionlog l JOIN repairs_repairorder o ON o.id = l.object_id
JOIN organization_servicecenter c ON c.id = o.center_id
WHERE l.content_type_id = (SELECT id FROM django_content_type WHERE app_label = 'repairs' AND model = 'repairorder')
  AND l.at >= %(since)s AND l.at < %(until)s AND l.seconds_in_source IS NOT NULL AND l.source_id IS NOT NULL
GROUP BY 1, 2
"""

# failure-causes' three tables, hand-written: each order counted once per fault code (the codes found
# by the technician, else those reported); the parts issued on the year's orders; failures per
# thousand units sold by model and Jalali production month (``edges``: the months' first days).
FAULT_SQL = """
SELECT c.code, count(DISTINCT f.order_id) FROM repairs_orderfault f
JOIN repairs_repairorder o ON o.id = f.order_id JOIN catalog_faultcode c ON c.id = f.fault_code_id
WHERE o.received_at >= %(since)s AND o.received_at < %(until)s
  AND (f.source = 'found' OR NOT EXISTS (SELECT 1 FROM repairs_orderfault g WHERE g.order_id = f.order_id
                                         AND g.source = 'found' AND g.fault_code_id IS NOT NULL))
GROUP BY 1 ORDER BY 2 DESC
"""

PARTS_SQL = """
SELECT p.spare_part_id, count(*), sum(p.issued_quantity - p.returned_quantity) FROM repairs_partline p
JOIN repairs_repairorder o ON o.id = p.order_id
WHERE o.received_at >= %(since)s AND o.received_at < %(until)s AND p.issued_quantity > 0
GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 20
"""

RATE_SQL = """
WITH failed AS (
    SELECT u.product_model_id, width_bucket(u.production_date, %(edges)s::date[]) AS month, count(*) AS failures
    FROM catalog_productunit u
    WHERE u.sale_date IS NOT NULL AND u.id IN (SELECT unit_id FROM repairs_repairorder
                                               WHERE received_at >= %(since)s AND received_at < %(until)s)
    GROUP BY 1, 2),
sold AS (
    SELECT product_model_id, width_bucket(production_date, %(edges)s::date[]) AS month, count(*) AS sold
    FROM catalog_productunit
    WHERE sale_date IS NOT NULL AND product_model_id IN (SELECT product_model_id FROM failed)
    GROUP BY 1, 2)
SELECT failed.product_model_id, failed.month, failed.failures, sold.sold, 1000.0 * failed.failures / sold.sold AS rate
FROM failed LEFT JOIN sold USING (product_model_id, month) ORDER BY rate DESC NULLS LAST LIMIT 50
"""

# The flags of the year's hand-backs that disagree with the history they summarise (both counts 0):
# a quality_failed move; a reception of the same unit within 30 days of the hand-back.
FLAGS_SQL = f"""
SELECT count(*) FILTER (WHERE o.is_reworked <> (q.object_id IS NOT NULL)),
       count(*) FILTER (WHERE o.has_come_back <> EXISTS (
           SELECT 1 FROM repairs_repairorder r WHERE r.unit_id = o.unit_id AND r.received_at > o.handed_back_at
           AND r.received_at <= o.handed_back_at + interval '30 days'))
FROM repairs_repairorder o
LEFT JOIN (SELECT DISTINCT l.object_id FROM workflow_transitionlog l JOIN workflow_transition t ON t.id = l.transition_id
           WHERE t.code = 'quality_failed' AND l.content_type_id = ({CONTENT_TYPE})) q ON q.object_id = o.id
WHERE o.handed_back_at >= %(since)s AND o.handed_back_at < %(until)s
"""

TREND_SQL = """
SELECT width_bucket(extract(epoch FROM received_at), %(edges)s::float8[]) AS bucket, count(*),
       count(*) FILTER (WHERE is_warranty)
FROM repairs_repairorder WHERE received_at >= %(since)s AND received_at < %(until)s GROUP BY 1 ORDER BY 1
"""


def _worker_render(params: dict, head_pk: int) -> dict:
    """center-performance built and rendered as PDF and Excel in a fresh process, as the worker does for a
    mailed report: seconds for each and the process's peak memory."""
    script = f"""
import json, resource, time, django
django.setup()
from aftersales.organization.models import User
from aftersales.reports import render, selectors
from django.utils import translation
translation.activate("fa")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
user = User.objects.get(pk={head_pk})
report = selectors.report_get("center-performance", user)
started = time.perf_counter(); filters, result = selectors.report_run(report, {params!r}, user); built = time.perf_counter() - started
built_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter(); pdf = render.as_pdf(report, filters, result); pdf_s = time.perf_counter() - started
started = time.perf_counter(); xlsx = render.as_xlsx(report, filters, result); xlsx_s = time.perf_counter() - started
print(json.dumps({{"build": built, "pdf": pdf_s, "xlsx": xlsx_s, "pdf_bytes": len(pdf), "xlsx_bytes": len(xlsx),
                  "rows": [len(t.rows) for t in result.tables], "base_mb": base / 1024, "built_mb": built_mb,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod", "SECRET_KEY": serving.SECRET_KEY,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING", "SMS_BACKEND": "file",
           "SITE_URL": f"http://127.0.0.1:{serving.PORT}"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _gunicorn_workers_peak_mb() -> float:
    """The highest peak resident memory (VmHWM) among the gunicorn workers this run started."""
    masters = [pid for pid in _children(os.getpid()) if b"gunicorn" in _read(pid, "cmdline")]
    peaks = []
    for worker in (child for master in masters for child in _children(master)):
        for line in _read(worker, "status").decode().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def _read(pid: int, name: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _read(int(entry.name), "stat").rsplit(b")", 1)[-1].split()
            if len(fields) > 1 and int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _close(a, b, tolerance=0.1) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance


def run(url: str) -> list:
    import psycopg

    from aftersales.core import jalali
    from aftersales.reports import registry
    from aftersales.reports.periods import Preset, buckets, day_start, preset_range
    from benchmarks.report import Aim, Check

    ref = _reference()
    _fill(url, ref)
    start, end = _year()
    since, until = day_start(start), day_start(end + datetime.timedelta(days=1))
    period = {"from": jalali.format_date(start, latin_digits=True), "to": jalali.format_date(end, latin_digits=True)}
    trend_start, trend_end = preset_range(Preset.LAST_12_MONTHS)
    months = buckets(trend_start, trend_end, "month")
    edges = [day_start(bucket.start).timestamp() for bucket in months] + [day_start(months[-1].end).timestamp()]
    has_failures = registry.get("failure-causes") is not None
    token = ref["token"]
    with psycopg.connect(url) as db:
        counts = db.execute("SELECT (SELECT count(*) FROM repairs_repairorder), (SELECT count(*) FROM repairs_orderfault) "
                            "+ (SELECT count(*) FROM repairs_operation) + (SELECT count(*) FROM repairs_partline), "
                            "(SELECT count(*) FROM catalog_productunit), (SELECT count(*) FROM workflow_transitionlog), "
                            "(SELECT count(*) FROM repairs_repairorder WHERE received_at >= %s AND received_at < %s)",
                            [since, until]).fetchone()
        window = {"since": since, "until": until}
        wrong_flags = db.execute(FLAGS_SQL, window).fetchone()
        base_center, center_rows = _p50(lambda: db.execute(CENTER_SQL, window).fetchall())
        base_state, state_rows = _p50(lambda: db.execute(STATE_SQL, window).fetchall())
        base_fault, fault_rows = _p50(lambda: db.execute(FAULT_SQL, window).fetchall())
        base_parts, _rows = _p50(lambda: db.execute(PARTS_SQL, window).fetchall())
        production = [month.start for month in buckets(datetime.date.today() - datetime.timedelta(days=1500),
                                                         datetime.date.today(), "month")]
        base_rates, _rows = _p50(lambda: db.execute(RATE_SQL, {**window, "edges": production}).fetchall())
        base_trend, trend_rows = _p50(lambda: db.execute(TREND_SQL, {
            "edges": edges, "since": day_start(trend_start), "until": day_start(trend_end + datetime.timedelta(days=1))}).fetchall())
        db.rollback()
    center_path = "/api/reports/center-performance/?" + urlencode(period)
    with serving.gunicorn(url):
        link = serving.connection()
        api_center, center_json = _p50(lambda: _get(link, center_path, token))
        api_fault, fault_json = (_p50(lambda: _get(link, "/api/reports/failure-causes/?" + urlencode(period), token))
                                 if has_failures else (None, None))
        api_trend, trend_json = _p50(lambda: _get(link, "/api/reports/receptions-trend/?period=last_12_months", token))
        api_pdf, pdf = _p50(lambda: _get(link, center_path + "&format=pdf", token), runs=max(RUNS // 2, 1))
        api_xlsx, xlsx = _p50(lambda: _get(link, center_path + "&format=xlsx", token), runs=max(RUNS // 2, 1))
        served_peak = _gunicorn_workers_peak_mb()
    worker = _worker_render(period, ref["head"].pk)
    center_json, trend_json = json.loads(center_json), json.loads(trend_json)
    main, hours = center_json["tables"][0], center_json["tables"][1]

    print(f"reports: {counts[0]:,} repair orders ({counts[4]:,} received in the measured year "
          f"{period['from']}–{period['to']}), {counts[1]:,} fault/operation/part lines, {counts[2]:,} serials, "
          f"{counts[3]:,} workflow moves, {CENTERS:,} centers; gunicorn with {os.cpu_count()} workers × 4 threads; "
          f"p50 of {RUNS} runs after a warm-up")
    print(f"{'':<64}{'p50 ms':>10}")
    rows = [("baseline: center-performance's per-center table, one SQL statement", base_center),
            ("baseline: center-performance's hours per state, one SQL statement", base_state),
            ("center-performance, a year, all centers, JSON over HTTP", api_center),
            ("baseline: failure-causes' fault-code Pareto, one SQL statement", base_fault),
            ("baseline: failure-causes' parts most replaced, one SQL statement", base_parts),
            ("baseline: failure-causes' failures per 1,000 sold, one SQL statement", base_rates),
            ("failure-causes, a year, all centers, JSON over HTTP" + ("" if has_failures else ": skipped: not registered"),
             api_fault),
            ("baseline: receptions per Jalali month, 12 months, one SQL statement", base_trend),
            ("receptions-trend, last 12 months, JSON over HTTP", api_trend),
            (f"center-performance as PDF over HTTP ({len(main['rows'])} + {len(hours['rows'])} rows, {len(pdf):,} B)", api_pdf),
            (f"center-performance as Excel over HTTP ({len(xlsx):,} B)", api_xlsx)]
    for label, value in rows:
        print(f"{label:<64}{value:>10.0f}" if value is not None else f"{label:<64}{'—':>10}")
    print(f"a worker-like process (prod settings, fresh): build {worker['build'] * 1000:.0f} ms, PDF "
          f"{worker['pdf'] * 1000:.0f} ms ({worker['pdf_bytes']:,} B), Excel {worker['xlsx'] * 1000:.0f} ms "
          f"({worker['xlsx_bytes']:,} B) for tables of {' + '.join(map(str, worker['rows']))} rows; peak memory "
          f"{worker['peak_mb']:.0f} MB (after django.setup {worker['base_mb']:.0f} MB, after the build "
          f"{worker['built_mb']:.0f} MB); gunicorn workers' peak "
          f"{served_peak:.0f} MB")

    baseline_center = base_center + base_state
    results = [
        Aim("center-performance, a year, all centers, over HTTP p50", api_center, 1000, "ms", "lower", "issue 15"),
        Aim("center-performance over HTTP ÷ hand-written SQL (both tables)", api_center / baseline_center, 2, "×",
            "lower", "issue 15"),
        Aim("receptions-trend, last 12 months, over HTTP p50", api_trend, 300, "ms", "lower", "issue 15"),
        Aim(f"a {len(main['rows']):,}-row report (center-performance) as PDF over HTTP p50", api_pdf, 5000, "ms",
            "lower", "issue 15"),
        Aim(f"a {len(main['rows']):,}-row report (center-performance) as Excel over HTTP p50", api_xlsx, 2000, "ms",
            "lower", "issue 15"),
        Aim("the worker's peak memory: that report built, as PDF and as Excel", worker["peak_mb"], 300, "MB", "lower",
            "issue 15"),
        Aim("gunicorn workers' peak memory serving these reports", served_peak, 300, "MB", "lower", "issue 15"),
    ]
    if has_failures:
        results += [Aim("failure-causes, a year, all centers, over HTTP p50", api_fault, 1000, "ms", "lower", "issue 15"),
                    Aim("failure-causes over HTTP ÷ hand-written SQL (its three tables)",
                        api_fault / (base_fault + base_parts + base_rates), 2, "×", "lower", "issue 15")]
    results.append(Check("rework and come-back flags = the moves and receptions",
                         wrong_flags == (0, 0), f"{wrong_flags[0]:,} rework and {wrong_flags[1]:,} come-back flags wrong"))
    results += _checks(main, hours, center_rows, state_rows, trend_json, trend_rows, months, counts[4])
    results.append(_fault_check(fault_json, fault_rows) if has_failures else
                   Check("failure-causes: skipped: not registered", True))
    results.append(Check("the PDF and the Excel file are what they say", pdf.startswith(b"%PDF") and xlsx.startswith(b"PK"),
                         f"{len(pdf):,} B PDF, {len(xlsx):,} B xlsx"))
    return results


def _checks(main, hours, center_rows, state_rows, trend_json, trend_rows, months, year_receptions) -> list:
    from benchmarks.report import Check

    def plain(value):
        return float(value) if value is not None else None

    sql = {row[0]: row for row in center_rows}
    api = {row["center"]: row for row in main["rows"]}
    same_counts = set(sql) == set(api) and all(
        (api[name]["receptions"], api[name]["handbacks"], api[name]["open"], api[name]["rework"], api[name]["returns"])
        == (row[1] or 0, row[3] or 0, row[9] or 0, row[6] or 0, row[7] or 0) for name, row in sql.items())
    same_times = all(_close(api[name]["turnaround_days"], round(plain(row[4]) / 86400, 1) if row[4] is not None else None)
                     and _close(api[name]["p90_days"], round(plain(row[5]) / 86400, 1) if row[5] is not None else None)
                     for name, row in sql.items() if name in api)
    same_money = all((api[name]["invoiced"], api[name]["paid"], api[name]["owed"]) == (row[10] or 0, row[12] or 0, row[11] or 0)
                     for name, row in sql.items() if name in api)
    total = main["total"]
    sql_hours = {(name, f"s{state}"): round(plain(seconds) / 3600, 1) for name, state, seconds in state_rows}
    api_hours = {(row["center"], key): value for row in hours["rows"] for key, value in row.items()
                 if key.startswith("s") and key[1:].isdigit() and value is not None}
    trend = [row["receptions"] for row in trend_json["tables"][0]["rows"]]
    sql_trend = [0] * len(months)
    for bucket, count, _warranty in trend_rows:
        sql_trend[bucket - 1] = count
    return [
        Check("center-performance: the year's receptions = SQL count", total["receptions"] == year_receptions,
              f"{total['receptions']:,} vs {year_receptions:,}"),
        Check("center-performance: receptions, hand-backs, open, rework, returns = SQL",
              same_counts and len(api) > 0 and total["rework"] > 0 and total["returns"] > 0,
              f"{len(api):,} centers; {total['handbacks']:,} hand-backs, "
              f"{total['rework']:,} reworked, {total['returns']:,} returned"),
        Check("center-performance: mean and 90th-percentile turnaround = SQL", same_times,
              f"network {total['turnaround_days']} / {total['p90_days']} days"),
        Check("center-performance: invoiced, paid and owed per center = SQL", same_money,
              f"network invoiced {total['invoiced']:,}, paid {total['paid']:,}"),
        Check("center-performance: hours in each state per center = SQL",
              len(sql_hours) > 0 and set(sql_hours) == set(api_hours)
              and all(_close(api_hours[key], value) for key, value in sql_hours.items()), f"{len(sql_hours):,} cells"),
        Check("receptions-trend: receptions per Jalali month = SQL", trend == sql_trend,
              f"{sum(trend):,} in {len(trend)} months"),
    ]


def _fault_check(answer, fault_rows) -> object:
    """failure-causes' Pareto counts the same orders per fault code as the hand-written SQL."""
    from benchmarks.report import Check

    table = json.loads(answer)["tables"][0]
    api = {row["code"]: row["count"] for row in table["rows"]}
    sql = dict(fault_rows)
    return Check("failure-causes: orders per fault code = SQL", len(sql) > 0 and api == sql,
                 f"{len(api)} codes, {sum(api.values()):,} (order, code) pairs; top code {fault_rows[0][1] if fault_rows else 0:,}")
