"""Target achievement (issue 18, F46) with BENCH_TARGETS_MARKETERS marketers (default 1,000) in one team,
BENCH_TARGETS_PARTIES parties (default 50 per marketer) in 31 provinces' cities, BENCH_TARGETS_LINES
sales-invoice lines (default 2,000,000, four per document, the totals on the documents) over the last
year, one document in twenty a credit note, and BENCH_TARGETS_VISITS in-person contacts (default
300,000), in PostgreSQL.

The plan runs over that year with a sales-amount target and a visits target for every marketer, plus
one sales target per province for the whole team. Measured: ``achievement`` of every target of the plan
(the selectors' one grouped query per measure, matched to the targets in Python), next to the same sums
in hand-written SQL in the same run; the figures must be equal. Aim (issue 18): under 2 s.
``BENCH_SMOKE=1`` (``run.py --smoke``) shrinks everything to a few thousand rows.
"""

import datetime
import os
import time

SMOKE = os.environ.get("BENCH_SMOKE") == "1"
MARKETERS = int(os.environ.get("BENCH_TARGETS_MARKETERS", "20" if SMOKE else "1000"))
PARTIES = int(os.environ.get("BENCH_TARGETS_PARTIES", str(MARKETERS * 50)))
LINES = int(os.environ.get("BENCH_TARGETS_LINES", "20000" if SMOKE else "2000000"))
VISITS = int(os.environ.get("BENCH_TARGETS_VISITS", "3000" if SMOKE else "300000"))
LINES_PER_DOCUMENT = 4
PROVINCES = 31
CITIES_PER_PROVINCE = 3

SALES_SQL = """
SELECT p.marketer_id, SUM(d.subtotal - d.discount)
FROM sales_salesdocument d JOIN crm_party p ON p.customer_id = d.customer_id
WHERE d.kind IN ('invoice', 'credit') AND d.issued_on BETWEEN %(start)s AND %(end)s
  AND p.marketer_id = ANY(%(marketers)s)
GROUP BY p.marketer_id
"""
PROVINCE_SQL = """
SELECT city.parent_id, SUM(d.subtotal - d.discount)
FROM sales_salesdocument d JOIN crm_party p ON p.customer_id = d.customer_id
JOIN regions_region city ON city.id = p.region_id
WHERE d.kind IN ('invoice', 'credit') AND d.issued_on BETWEEN %(start)s AND %(end)s
  AND p.marketer_id IN (SELECT user_id FROM organization_centermembership WHERE center_id = %(center)s)
GROUP BY city.parent_id
"""
VISITS_SQL = """
SELECT logged_by_id, count(*) FROM marketing_contact
WHERE kind = 'visit' AND occurred_at >= %(from)s AND occurred_at < %(until)s AND logged_by_id = ANY(%(marketers)s)
GROUP BY logged_by_id
"""


def _insert(db, model, given: str, select: str, params: dict) -> int:
    from benchmarks import serving

    more, values = serving.defaults(model, given)
    extra = {f"d{index}": value for index, value in enumerate(values)}
    select = select.replace("{defaults}", "".join(f", %({key})s" for key in extra))
    return db.execute(f"INSERT INTO {model._meta.db_table} ({given}{more}) {select}", {**params, **extra}).rowcount


def _reference() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from aftersales.catalog.models import Brand, ProductGroup, ProductModel
    from aftersales.crm.models import PartyType
    from aftersales.organization.models import CenterMembership, ServiceCenter, User
    from aftersales.organization.roles import sync_roles
    from aftersales.regions.models import Region

    sync_roles()
    center, _ = ServiceCenter.objects.get_or_create(code="BTGT", defaults={"name": "تیم فروش کشور", "province": "تهران",
                                                                           "city": "تهران"})
    manager, created = User.objects.get_or_create(username="bench-targets-manager", defaults={"first_name": "مدیر"})
    if created:
        Group.objects.get(name="marketing_manager").user_set.add(manager)
    marketers = list(User.objects.filter(username__startswith="bench-tvisitor-").order_by("pk"))
    if len(marketers) < MARKETERS:
        password = make_password("bench")
        User.objects.bulk_create([User(username=f"bench-tvisitor-{i:04d}", password=password, first_name="ویزیتور",
                                       last_name=str(i)) for i in range(MARKETERS)], ignore_conflicts=True)
        marketers = list(User.objects.filter(username__startswith="bench-tvisitor-").order_by("pk"))
        CenterMembership.objects.bulk_create([CenterMembership(user=user, center=center) for user in marketers],
                                             ignore_conflicts=True)
        Group.objects.get(name="visitor").user_set.add(*marketers)
    provinces = []
    for p in range(PROVINCES):
        province, _ = Region.objects.get_or_create(code=f"B{p:02d}", defaults={"name": f"استان {p}", "kind": "province"})
        provinces.append(province)
        for c in range(CITIES_PER_PROVINCE):
            Region.objects.get_or_create(code=f"B{p:02d}{c:02d}", defaults={"name": f"شهر {p}-{c}", "kind": "city",
                                                                           "parent": province})
    cities = list(Region.objects.filter(kind="city", code__startswith="B").order_by("pk").values_list("pk", flat=True))
    brand, _ = Brand.objects.get_or_create(code="BTGT", defaults={"name": "bench targets"})
    group, _ = ProductGroup.objects.get_or_create(code="BTG", defaults={"name": "گروه محک"})
    model, _ = ProductModel.objects.get_or_create(brand=brand, code="BTM", defaults={"name": "مدل محک", "group": group})
    dealer = PartyType.objects.select_related("workflow").get(code="dealer")
    return {"center": center, "manager": manager, "marketers": [user.pk for user in marketers], "users": marketers, "cities": cities,
            "provinces": provinces, "model": model.pk, "group": group.pk, "dealer": dealer,
            "state": dealer.workflow.initial_state.pk}


def _fill(url: str, ref: dict, start: datetime.date) -> None:
    """Customers and their parties, the documents with their lines and the visits, once."""
    import psycopg

    from aftersales.crm.models import Party
    from aftersales.customers.models import Customer
    from aftersales.marketing.models import Contact
    from aftersales.sales.models import SalesDocument, SalesLine

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SET synchronous_commit = off")
        if db.execute("SELECT count(*) FROM crm_party WHERE center_id = %s", [ref["center"].pk]).fetchone()[0] < PARTIES:
            _insert(db, Customer, "kind, company_name, mobile, created_at, is_lead", """
                SELECT 'legal', 'فروشگاه محک ' || n, '0913' || lpad(n::text, 7, '0'), now(), false {defaults}
                FROM generate_series(1, %(n)s) AS n""", {"n": PARTIES})
            first = db.execute("SELECT min(id) FROM customers_customer WHERE company_name LIKE 'فروشگاه محک %%'"
                               ).fetchone()[0]
            _insert(db, Party, "customer_id, center_id, marketer_id, party_type_id, state_id, region_id, "
                    "state_entered_at, created_at", """
                SELECT %(first)s + n - 1, %(center)s, (%(marketers)s::bigint[])[1 + n %% %(m)s], %(type)s, %(state)s,
                       (%(cities)s::bigint[])[1 + (n * 7) %% %(c)s], now(),
                       now() - ((n * 7919) %% 500) * interval '1 day' {defaults}
                FROM generate_series(1, %(n)s::bigint) AS n""",
                    {"first": first, "center": ref["center"].pk, "marketers": ref["marketers"], "m": MARKETERS,
                     "type": ref["dealer"].pk, "state": ref["state"], "cities": ref["cities"],
                     "c": len(ref["cities"]), "n": PARTIES})
            print(f"({PARTIES:,} parties, {time.perf_counter() - started:.0f} s)", flush=True)
        documents = LINES // LINES_PER_DOCUMENT
        have = db.execute("SELECT count(*) FROM sales_salesdocument WHERE number LIKE 'BT-%%'").fetchone()[0]
        if have < documents:
            first_party = db.execute("SELECT min(customer_id) FROM crm_party WHERE center_id = %s",
                                     [ref["center"].pk]).fetchone()[0]
            step = 250_000
            for low in range(have + 1, documents + 1, step):
                high = min(low + step - 1, documents)
                _insert(db, SalesDocument, "center_id, kind, number, source, customer_id, issued_on, subtotal, "
                        "discount, vat_percent, vat, total, note, issued_at", """
                    SELECT %(center)s, CASE WHEN n %% 20 = 7 THEN 'credit' ELSE 'invoice' END, 'BT-' || n, 'local',
                           %(first)s + (n * 104729) %% %(parties)s, %(start)s::date + ((n * 7919) %% 365)::int, 0,
                           CASE WHEN n %% 10 = 3 AND n %% 20 <> 7 THEN 1000000 ELSE 0 END, 10, 0, 0, '', now() {defaults}
                    FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS n""",
                        {"center": ref["center"].pk, "first": first_party, "parties": PARTIES, "start": start,
                         "low": low, "high": high})
                print(f"(documents {high:,} of {documents:,}, {time.perf_counter() - started:.0f} s)", flush=True)
            _insert(db, SalesLine, "document_id, product_model_id, product_group_id, description, quantity, unit_price, "
                    "discount, amount", """
                SELECT d.id, %(model)s, %(group)s, 'کالا', CASE WHEN d.kind = 'credit' THEN -1 ELSE 1 END, m, 0,
                       CASE WHEN d.kind = 'credit' THEN -m ELSE m END
                FROM sales_salesdocument d
                CROSS JOIN generate_series(1, %(per)s) AS k
                CROSS JOIN LATERAL (SELECT (1 + (d.id * 31 + k * 17) %% 50) * 1000000::bigint AS m) AS pick
                WHERE d.number LIKE 'BT-%%'""",
                    {"model": ref["model"], "group": ref["group"], "per": LINES_PER_DOCUMENT})
            db.execute("UPDATE sales_salesdocument d SET subtotal = s.amount, vat = (s.amount - d.discount) / 10, "
                       "total = s.amount - d.discount + (s.amount - d.discount) / 10 "
                       "FROM (SELECT document_id, SUM(amount) AS amount FROM sales_salesline GROUP BY document_id) s "
                       "WHERE s.document_id = d.id AND d.number LIKE 'BT-%%'")
            print(f"(lines written, {time.perf_counter() - started:.0f} s)", flush=True)
        if db.execute("SELECT count(*) FROM marketing_contact WHERE notes = 'بازدید محک'").fetchone()[0] < VISITS:
            first_party = db.execute("SELECT min(customer_id) FROM crm_party WHERE center_id = %s",
                                     [ref["center"].pk]).fetchone()[0]
            _insert(db, Contact, "customer_id, kind, notes, occurred_at, logged_by_id, outcome", """
                SELECT %(first)s + (n * 7) %% %(parties)s, CASE WHEN n %% 5 = 0 THEN 'call_out' ELSE 'visit' END,
                       'بازدید محک', now() - ((n * 7919) %% (400 * 86400)) * interval '1 second',
                       (%(marketers)s::bigint[])[1 + n %% %(m)s], 'positive' {defaults}
                FROM generate_series(1, %(n)s::bigint) AS n""",
                    {"first": first_party, "parties": PARTIES, "marketers": ref["marketers"], "m": MARKETERS,
                     "n": VISITS})
        db.execute("ANALYZE")
        print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)


def _plan(ref: dict, start: datetime.date, end: datetime.date):
    from aftersales.field.models import Target, TargetPlan
    from aftersales.field.services_targets import target_plan_create

    plan = TargetPlan.objects.filter(name="برنامه سالانه محک").first()
    if plan is not None:
        return plan
    rows = [{"metric": Target.Metric.SALES_AMOUNT, "marketer": user, "value": 5_000_000_000} for user in ref["users"]]
    rows += [{"metric": Target.Metric.VISITS, "marketer": user, "value": 300} for user in ref["users"]]
    rows += [{"metric": Target.Metric.SALES_AMOUNT, "region": province, "value": 100_000_000_000}
             for province in ref["provinces"]]
    return target_plan_create(name="برنامه سالانه محک", center=ref["center"], start_date=start, end_date=end,
                              targets=rows, acting_user=ref["manager"])


def run(url: str) -> list:
    import psycopg
    from django.utils import timezone

    from aftersales.field.selectors_targets import _bounds, achievement, plan_targets
    from benchmarks.report import Aim, Check

    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=364), today
    ref = _reference()
    _fill(url, ref, start)
    plan = _plan(ref, start, end)
    since, until = _bounds(plan)
    params = {"start": start, "end": end, "marketers": ref["marketers"], "center": ref["center"].pk,
              "from": since, "until": until}
    with psycopg.connect(url, autocommit=True) as db:
        counts = db.execute(
            "SELECT (SELECT count(*) FROM sales_salesline), (SELECT count(*) FROM sales_salesdocument), "
            "(SELECT count(*) FROM crm_party), (SELECT count(*) FROM marketing_contact)").fetchone()
        print(f"  {MARKETERS:,} marketers, {counts[2]:,} parties, {counts[1]:,} documents with {counts[0]:,} lines, "
              f"{counts[3]:,} contacts; plan {start} … {end} with {plan.targets.count():,} targets", flush=True)
        for sql in (SALES_SQL, PROVINCE_SQL, VISITS_SQL):  # warm-up
            db.execute(sql, params).fetchall()
        sql_started = time.perf_counter()
        sales = dict(db.execute(SALES_SQL, params).fetchall())
        provinces = dict(db.execute(PROVINCE_SQL, params).fetchall())
        visits = dict(db.execute(VISITS_SQL, params).fetchall())
        sql_seconds = time.perf_counter() - sql_started

    targets = plan_targets(plan, ref["manager"])
    achievement(plan, targets)  # warm-up, as the SQL had
    timings = []
    for _round in range(3):
        started = time.perf_counter()
        items = achievement(plan, targets)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    got_sales = {item.target.marketer_id: item.achieved for item in items
                 if item.target.metric == "sales_amount" and item.target.marketer_id}
    got_provinces = {item.target.region_id: item.achieved for item in items if item.target.region_id}
    got_visits = {item.target.marketer_id: item.achieved for item in items if item.target.metric == "visits"}
    want_sales = {pk: int(sales.get(pk, 0)) for pk in ref["marketers"]}
    want_provinces = {province.pk: int(provinces.get(province.pk, 0)) for province in ref["provinces"]}
    want_visits = {pk: int(visits.get(pk, 0)) for pk in ref["marketers"]}
    total = sum(got_sales.values())
    print(f"  hand-written SQL {sql_seconds:.2f} s; achievement of {len(items):,} targets {seconds:.2f} s "
          f"(best of 3: {', '.join(f'{t:.2f}' for t in timings)}); sales {total:,} rials, "
          f"visits {sum(got_visits.values()):,}; load {os.getloadavg()[0]:.2f}", flush=True)
    source = "issue 18"
    return [
        Aim("achievement of a year's plan, a sales and a visits target per marketer", seconds, 2, "s", source=source),
        Aim("achievement ÷ the same sums in hand-written SQL", seconds / max(sql_seconds, 1e-6), 3, "×",
            source=source),
        Check("each marketer's sales equal the hand-written SQL's", got_sales == want_sales,
              f"{total:,} / {sum(want_sales.values()):,} rials"),
        Check("each province's sales (its cities) equal the hand-written SQL's", got_provinces == want_provinces),
        Check("each marketer's visits equal the hand-written SQL's", got_visits == want_visits,
              f"{sum(got_visits.values()):,} / {sum(want_visits.values()):,}"),
        Check("invoices were counted at all", total > 0),
    ]
