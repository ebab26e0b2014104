"""Agents' commission (issue 17, F42) with BENCH_COMMISSION_AGENTS agents (default 5,000) in a 4-level tree,
BENCH_COMMISSION_LINES sales-invoice lines (default 2,000,000, four per document) over the last twelve
full Jalali months and BENCH_COMMISSION_RULES commission rules (about 500), in PostgreSQL.

The tree: 0.4 % provincial agents (level 1), 3.6 % city agents, 20 % agents, the rest sub-agents; each
document is one agent's (its party's), spread evenly over the twelve months, so the month measured (the
last full one) holds about a twelfth of the lines — printed. One document in twenty is a credit note, one
in ten has a document-level discount; a third of the documents are of one product group, the rest of two.
The rules: own and override, for each level, each of five groups and "every group", five target tiers
each, with the rates changing in the middle of the month measured (two rules of each key, one after
the other), and some rules that ended a year ago.

Measured: ``commission_calculate`` for the month and every agent (statements and lines written), first
from nothing and then again over its drafts, next to the month's total commission computed by ONE
hand-written SQL query in the same run; the two totals must be equal. Aim (issue 17): under 30 s and
within 3× of the SQL.
"""

import contextlib
import datetime
import os
import time

AGENTS = int(os.environ.get("BENCH_COMMISSION_AGENTS", "5000"))
LINES = int(os.environ.get("BENCH_COMMISSION_LINES", "2000000"))
LINES_PER_DOCUMENT = 4
GROUPS = 5
TIERS = (0, 200_000_000, 500_000_000, 1_000_000_000, 2_000_000_000)

TOTAL_SQL = """
WITH grouped AS (
    SELECT d.agent_id, d.id AS document_id, l.product_group_id AS group_id, d.issued_on, d.discount,
           SUM(l.amount) AS amount
    FROM sales_salesline l JOIN sales_salesdocument d ON d.id = l.document_id
    WHERE d.issued_on BETWEEN %(start)s AND %(end)s AND d.kind IN ('invoice', 'credit') AND d.agent_id IS NOT NULL
    GROUP BY d.agent_id, d.id, l.product_group_id, d.issued_on, d.discount),
based AS (
    SELECT agent_id, group_id, issued_on,
           amount - CASE WHEN discount = 0 OR SUM(amount) OVER doc = 0 THEN 0
                         ELSE ROUND(amount::numeric * discount / ABS(SUM(amount) OVER doc)) END AS base
    FROM grouped WINDOW doc AS (PARTITION BY document_id)),
own AS (SELECT agent_id, SUM(base) AS sales FROM based GROUP BY agent_id),
ancestry AS (
    SELECT a.id AS agent_id, up.id AS upper_id, up.level AS upper_level
    FROM sales_agent a
    CROSS JOIN LATERAL unnest(string_to_array(rtrim(a.path, '/'), '/')) AS part(id_text)
    JOIN sales_agent up ON up.id = part.id_text::bigint AND up.id <> a.id),
below AS (SELECT ancestry.upper_id AS agent_id, SUM(own.sales) AS sales
          FROM own JOIN ancestry ON ancestry.agent_id = own.agent_id GROUP BY ancestry.upper_id),
earned AS (
    SELECT based.base, based.group_id, based.issued_on, 'own' AS kind, a.level, own.sales AS reached
    FROM based JOIN sales_agent a ON a.id = based.agent_id JOIN own ON own.agent_id = based.agent_id
    UNION ALL
    SELECT based.base, based.group_id, based.issued_on, 'override', ancestry.upper_level, below.sales
    FROM based JOIN ancestry ON ancestry.agent_id = based.agent_id JOIN below ON below.agent_id = ancestry.upper_id),
numbered AS (SELECT row_number() OVER () AS row_id, earned.* FROM earned)
SELECT COALESCE(SUM(ROUND(base * rate / 100)), 0), count(*) FROM (
    SELECT DISTINCT ON (n.row_id) n.base, r.rate
    FROM numbered n JOIN sales_commissionrule r
      ON r.kind = n.kind AND r.level = n.level AND (r.product_group_id = n.group_id OR r.product_group_id IS NULL)
     AND r.tier_from <= n.reached AND r.valid_from <= n.issued_on AND (r.valid_to IS NULL OR r.valid_to >= n.issued_on)
    ORDER BY n.row_id, r.product_group_id IS NULL, r.tier_from DESC) AS chosen
WHERE rate > 0
"""


@contextlib.contextmanager
def _own_database(url: str):
    """Point this process's Django at ``<url>_commission`` (fresh unless BENCH_REUSE_DB=1, migrated) and back."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.run import _fresh_database

    own_url = url + "_commission"
    _fresh_database(own_url, reuse=os.environ.get("BENCH_REUSE_DB") == "1" and os.environ.get("BENCH_SMOKE") != "1")
    database = connections.settings["default"]
    before = database["NAME"]
    connections.close_all()
    database["NAME"] = own_url.rsplit("/", 1)[1]
    ContentType.objects.clear_cache()
    try:
        call_command("migrate", verbosity=0)
        yield own_url
    finally:
        connections.close_all()
        database["NAME"] = before
        ContentType.objects.clear_cache()


def _month():
    """The Jalali year and month measured (the last full one) and the first day of the twelve months."""
    import jdatetime
    from django.utils import timezone

    from aftersales.core.jalali import month_start

    last = month_start(timezone.localdate()) - datetime.timedelta(days=1)
    j = jdatetime.date.fromgregorian(date=last)
    first = month_start(last)
    for _step in range(11):
        first = month_start(first - datetime.timedelta(days=1))
    return j.year, j.month, first


def _reference() -> dict:
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel
    from aftersales.organization.models import ServiceCenter, User
    from aftersales.organization.roles import sync_roles

    sync_roles()
    center, _ = ServiceCenter.objects.get_or_create(code="BCOM", defaults={"name": "دفتر فروش", "province": "تهران",
                                                                           "city": "تهران"})
    head, created = User.objects.get_or_create(username="bench-commission-head", defaults={"first_name": "ستاد"})
    if created:
        from django.contrib.auth.models import Group

        Group.objects.get(name="head_office_manager").user_set.add(head)
    brand, _ = Brand.objects.get_or_create(code="BCOM", defaults={"name": "bench commission"})
    groups = [ProductGroup.objects.get_or_create(code=f"BCG{g}", defaults={"name": f"گروه {g}"})[0]
              for g in range(GROUPS)]
    models = [ProductModel.objects.get_or_create(brand=brand, code=f"BCM{g}", defaults={"name": f"مدل {g}",
                                                                                       "group": groups[g]})[0]
              for g in range(GROUPS)]
    return {"center": center, "head": head, "groups": [g.pk for g in groups], "models": [m.pk for m in models]}


def _insert(db, model, given: str, select: str, params: dict) -> int:
    from benchmarks import serving

    more, values = serving.defaults(model, given)
    extra = {f"d{index}": value for index, value in enumerate(values)}
    select = select.replace("{defaults}", "".join(f", %({key})s" for key in extra))
    return db.execute(f"INSERT INTO {model._meta.db_table} ({given}{more}) {select}", {**params, **extra}).rowcount


def _level_sizes() -> list[int]:
    first = max(1, AGENTS * 4 // 1000)
    second = max(1, AGENTS * 36 // 1000)
    third = max(1, AGENTS * 200 // 1000)
    return [first, second, third, AGENTS - first - second - third]


def _fill(url: str, ref: dict, first_day: datetime.date, year: int, month: int) -> None:
    """Parties, the agents' tree, the rules and the documents with their lines, once."""
    import psycopg

    from aftersales.customers.models import Customer
    from aftersales.sales.models import CommissionRule, SalesDocument, SalesLine
    from aftersales.sales.services_commission import period_of

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        if db.execute("SELECT count(*) FROM sales_agent").fetchone()[0] < AGENTS:
            _insert(db, Customer, "kind, company_name, created_at", """
                SELECT 'legal', 'نمایندگی ' || n, now() {defaults} FROM generate_series(1, %(n)s) AS n""", {"n": AGENTS})
            parties = [row[0] for row in db.execute("SELECT id FROM customers_customer WHERE company_name LIKE "
                                                    "'نمایندگی %%' ORDER BY id").fetchall()]
            done, parents = 0, [None]
            for level, size in enumerate(_level_sizes(), start=1):
                rows = [(parties[done + i], ref["center"].pk, parents[i % len(parents)], level, "",
                         f"BA{done + i + 1:05d}", True) for i in range(size)]
                with db.cursor() as cursor, cursor.copy("COPY sales_agent (customer_id, center_id, parent_id, level, "
                                                        "path, code, is_active) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                if level == 1:
                    db.execute("UPDATE sales_agent SET path = lpad(id::text, 6, '0') || '/' WHERE level = 1")
                else:
                    db.execute("UPDATE sales_agent a SET path = p.path || lpad(a.id::text, 6, '0') || '/' "
                               "FROM sales_agent p WHERE a.parent_id = p.id AND a.level = %s", [level])
                parents = [row[0] for row in db.execute("SELECT id FROM sales_agent WHERE level = %s ORDER BY id",
                                                        [level]).fetchall()]
                done += size
        if not db.execute("SELECT count(*) FROM sales_commissionrule").fetchone()[0]:
            start, end = period_of(year, month)
            middle = start + (end - start) / 2
            rows = []
            for kind in ("own", "override"):
                for level in range(1, 5):
                    for group in [*ref["groups"], None]:
                        for tier_index, tier in enumerate(TIERS):
                            tier = tier * (10 if kind == "override" else 1)
                            rate = (3 if kind == "own" else 1) + tier_index * 0.25 + (0.5 if group else 0) - level * 0.1
                            rows.append((kind, level, group, tier, round(rate, 2), first_day - datetime.timedelta(days=400),
                                         middle))
                            rows.append((kind, level, group, tier, round(rate + 0.15, 2),
                                         middle + datetime.timedelta(days=1), None))
            for index in range(20):  # rules that ended a year ago
                rows.append(("own", 1 + index % 4, ref["groups"][index % GROUPS], 3_000_000_000 + index, 9,
                             first_day - datetime.timedelta(days=800), first_day - datetime.timedelta(days=401)))
            CommissionRule.objects.bulk_create([
                CommissionRule(kind=kind, level=level, product_group_id=group, tier_from=tier, rate=rate,
                               valid_from=valid_from, valid_to=valid_to)
                for kind, level, group, tier, rate, valid_from, valid_to in rows])
        documents = LINES // LINES_PER_DOCUMENT
        have = db.execute("SELECT count(*) FROM sales_salesdocument WHERE number LIKE 'BC-%%'").fetchone()[0]
        if have < documents:
            first_agent, last_agent, agents = db.execute("SELECT min(id), max(id), count(*) FROM sales_agent").fetchone()
            if last_agent - first_agent + 1 != agents:
                raise RuntimeError("the benchmark's agents must have consecutive ids (start from a fresh database)")
            days = (first_day.replace(year=first_day.year + 1) - first_day).days
            step = 250_000
            for low in range(have + 1, documents + 1, step):
                high = min(low + step - 1, documents)
                _insert(db, SalesDocument, "center_id, kind, number, source, customer_id, agent_id, issued_on, "
                        "subtotal, discount, vat_percent, vat, total, note, issued_at", """
                    SELECT %(center)s, CASE WHEN n %% 20 = 7 THEN 'credit' ELSE 'invoice' END, 'BC-' || n, 'local',
                           a.customer_id, a.id, %(first)s::date + ((n * 7919) %% %(days)s)::int, 0,
                           CASE WHEN n %% 10 = 3 THEN 1000000 * (1 + n %% 5) ELSE 0 END, 0, 0, 0, '', now() {defaults}
                    FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS n
                    JOIN sales_agent a ON a.id = %(first_agent)s + ((n * 104729) %% %(agents)s)""",
                        {"center": ref["center"].pk, "first": first_day, "days": days, "low": low, "high": high,
                         "first_agent": first_agent, "agents": agents})
                print(f"(documents {high:,} of {documents:,}, {time.perf_counter() - started:.0f} s)", flush=True)
            _insert(db, SalesLine, "document_id, product_model_id, product_group_id, description, quantity, unit_price, "
                    "discount, amount", """
                SELECT d.id, (%(models)s::bigint[])[1 + g], (%(groups)s::bigint[])[1 + g], 'کالا', 1, m, 0,
                       CASE WHEN d.kind = 'credit' THEN -m ELSE m END
                FROM sales_salesdocument d
                CROSS JOIN generate_series(1, %(per)s) AS k
                CROSS JOIN LATERAL (SELECT ((d.id + (k %% 2) * (d.id %% 3)) %% %(n_groups)s)::int AS g,
                                           (1 + (d.id * 31 + k * 17) %% 50) * 1000000::bigint AS m) AS pick
                WHERE d.number LIKE 'BC-%%' AND NOT EXISTS (SELECT 1 FROM sales_salesline l WHERE l.document_id = d.id)
                {defaults_none}""".replace("{defaults_none}", ""),
                    {"models": ref["models"], "groups": ref["groups"], "per": LINES_PER_DOCUMENT, "n_groups": GROUPS})
            db.execute("UPDATE sales_salesdocument d SET subtotal = s.amount, total = s.amount - d.discount "
                       "FROM (SELECT document_id, SUM(amount) AS amount FROM sales_salesline GROUP BY document_id) s "
                       "WHERE s.document_id = d.id AND d.number LIKE 'BC-%%'")
            db.execute("ANALYZE")
            print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)


def run(url: str) -> list:
    with _own_database(url) as own_url:
        return _run(own_url)


def _run(url: str) -> list:
    import psycopg

    from aftersales.sales.models import CommissionStatement
    from aftersales.sales.services_commission import commission_calculate, period_of
    from benchmarks.report import Aim, Check

    year, month, first_day = _month()
    ref = _reference()
    _fill(url, ref, first_day, year, month)
    start, end = period_of(year, month)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("TRUNCATE sales_commissionline, sales_commissionstatement, sales_historicalcommissionstatement")
        counts = db.execute(
            "SELECT (SELECT count(*) FROM sales_agent), (SELECT count(*) FROM sales_salesline), "
            "(SELECT count(*) FROM sales_commissionrule), (SELECT count(*) FROM sales_salesline l JOIN "
            "sales_salesdocument d ON d.id = l.document_id WHERE d.issued_on BETWEEN %(start)s AND %(end)s), "
            "(SELECT count(*) FROM sales_salesdocument WHERE issued_on BETWEEN %(start)s AND %(end)s)",
            {"start": start, "end": end}).fetchone()
        print(f"  {counts[0]:,} agents, {counts[1]:,} sales lines, {counts[2]:,} rules; month {year}/{month:02d} "
              f"({start} … {end}): {counts[3]:,} lines in {counts[4]:,} documents", flush=True)
        db.execute(TOTAL_SQL, {"start": start, "end": end}).fetchone()  # warm-up
        sql_started = time.perf_counter()
        sql_total, sql_lines = db.execute(TOTAL_SQL, {"start": start, "end": end}).fetchone()
        sql_seconds = time.perf_counter() - sql_started

    started = time.perf_counter()
    statements = commission_calculate(year=year, month=month, acting_user=ref["head"])
    first_seconds = time.perf_counter() - started
    total = sum(statement.total for statement in statements)
    started = time.perf_counter()
    again = commission_calculate(year=year, month=month, acting_user=ref["head"])
    again_seconds = time.perf_counter() - started
    stored = sum(CommissionStatement.objects.filter(year=year, month=month).values_list("total", flat=True))
    with psycopg.connect(url) as db:
        written = db.execute("SELECT count(*) FROM sales_commissionline").fetchone()[0]
    print(f"  hand-written SQL {sql_seconds:.2f} s (total {int(sql_total):,} rials over {sql_lines:,} earning rows); "
          f"commission_calculate {first_seconds:.2f} s from nothing, {again_seconds:.2f} s over its drafts; "
          f"{len(statements):,} statements, {written:,} lines, total {total:,} rials", flush=True)
    source = "issue 17"
    return [
        Aim("commission of one month, every agent (commission_calculate, from nothing)", first_seconds, 30, "s",
            source=source),
        Aim("commission of one month again over its drafts", again_seconds, 30, "s", source=source),
        Aim("commission_calculate ÷ the same total in one hand-written SQL query", first_seconds / max(sql_seconds, 1e-6),
            3, "×", source=source),
        Check("the calculated total equals the hand-written SQL's", total == int(sql_total) == stored,
              f"{total:,} / {int(sql_total):,} / {stored:,}"),
        Check("a statement for every agent, and the same figures when recalculated",
              len(statements) == counts[0] and [s.total for s in statements] == [s.total for s in again]),
        Check("one commission line per earning row", written == sql_lines, f"{written:,} / {sql_lines:,}"),
    ]
