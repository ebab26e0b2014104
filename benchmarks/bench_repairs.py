"""The repair workshop's busy counter (issue 21): BENCH_REPAIR_ORDERS past orders (default 1,000,000),
20,000 customers and 500 technicians in 50 centers with a receptionist each, in PostgreSQL, through the
real HTTP stack (gunicorn, as bench_warranty).

Measured, as receptions per second and p50/p95/p99:
- reception through ``POST /api/repairs/orders/`` one at a time (BENCH_REQUESTS), with a known customer
  (a mobile of the 20,000) and with a new one (a mobile no customer has: from a prefix that this run
  finds unused, so a run on a reused database never meets a mobile an earlier run registered);
- BENCH_CLIENTS concurrent clients (default 16) for BENCH_SECONDS each, receiving into one center (known
  customers, new ones, half of each), then spread over the 50 centers (half new);
- a technician's cartable page.
Baselines in the same run, in bare SQL through psycopg: a reception's rows (number, order, the workflow
step, the tracking SMS in the outbox, in one transaction) one at a time, and from BENCH_CLIENTS threads
(each its own connection) into one number scope, with the number taken first (its row lock held for the
whole transaction) and taken last (just before commit); the cartable's queries. ERPNext 15's figures
quoted in issue 21 are printed beside them for reference, not measured here.
Checks after the run: each reception answered 201 made exactly one order (per center), and in every
center that received, the order numbers of the year run 1…N, unique and with no gap.
"""

import collections
import itertools
import json
import os
import random
import re
import secrets
import threading
import time

from benchmarks import serving

ORDERS = int(os.environ.get("BENCH_REPAIR_ORDERS", "1000000"))
CENTERS, TECHNICIANS_PER_CENTER, CUSTOMERS = 50, 10, 20_000
SEQUENTIAL = int(os.environ.get("BENCH_REQUESTS", "300"))
CLIENTS, SECONDS = int(os.environ.get("BENCH_CLIENTS", "16")), float(os.environ.get("BENCH_SECONDS", "15"))
# ERPNext 15 creating a Warranty Claim over its REST API on this kind of machine, as issue 21 quotes it.
ERPNEXT_ONE = {"p50_ms": 63.6, "p95_ms": 87.4}
ERPNEXT_BUSY = {"per_second": 32.5, "p50_ms": 489, "p95_ms": 563, "p99_ms": 708}


def _fill(url: str) -> dict:
    """Centers BR01…, their technicians and receptionists, customers and ORDERS past orders (97 % delivered), once."""
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from aftersales.catalog.models import Brand, ProductGroup, ProductModel
    from aftersales.customers.models import Customer
    from aftersales.organization.models import CenterMembership, ServiceCenter, User
    from aftersales.repairs.models import RepairOrder
    from aftersales.organization.roles import sync_roles
    from aftersales.workflow.models import State

    sync_roles()
    centers = []
    for index in range(1, CENTERS + 1):
        center, _ = ServiceCenter.objects.get_or_create(code=f"BR{index:02d}", defaults={
            "name": f"مرکز آزمون {index}", "province": "تهران", "city": "تهران"})
        centers.append(center)
    technicians = list(User.objects.filter(username__startswith="bench-tech-").order_by("username"))
    if not technicians:
        password = make_password("bench")
        User.objects.bulk_create([User(username=f"bench-tech-{i:03d}", password=password, first_name="تکنسین",
                                       last_name=str(i)) for i in range(CENTERS * TECHNICIANS_PER_CENTER)])
        technicians = list(User.objects.filter(username__startswith="bench-tech-").order_by("username"))
        CenterMembership.objects.bulk_create([CenterMembership(user=user, center=centers[i // TECHNICIANS_PER_CENTER])
                                              for i, user in enumerate(technicians)])
        Group.objects.get(name="technician").user_set.add(*technicians)
    # A receptionist at each center (bench-reception at the first, as before): the spread run receives
    # into every center, each request as that center's own clerk.
    receptionists = Group.objects.get(name="receptionist")
    tokens = {}
    for index, center in enumerate(centers):
        user, _ = User.objects.get_or_create(username="bench-reception" if index == 0 else f"bench-reception-{index + 1:02d}",
                                             defaults={"first_name": "پذیرش", "last_name": center.code})
        CenterMembership.objects.get_or_create(user=user, center=center)
        receptionists.user_set.add(user)
        tokens[center.pk] = Token.objects.get_or_create(user=user)[0].key
    reception = User.objects.get(username="bench-reception")
    if Customer.objects.filter(mobile__startswith="0919").count() < CUSTOMERS:
        Customer.objects.bulk_create([Customer(kind="person", first_name="مشتری", last_name=str(i), mobile=f"0919{i:07d}")
                                      for i in range(CUSTOMERS)], batch_size=5000, ignore_conflicts=True)
    customers = list(Customer.objects.filter(mobile__startswith="0919").values_list("pk", flat=True)[:CUSTOMERS])
    states = {state.code: state.pk for state in State.objects.filter(workflow__code="repair")}
    open_states = [states[code] for code in ("received", "diagnosing", "awaiting_parts", "repairing", "ready")]
    with psycopg.connect(url, autocommit=True) as db:
        have = db.execute("SELECT COUNT(*) FROM repairs_repairorder WHERE number LIKE 'B-%%'").fetchone()[0]
        if have < ORDERS:
            started = time.perf_counter()
            print(f"(filling {ORDERS - have:,} past repair orders…)", flush=True)
            given = ("number, tracking_code, center_id, kind, customer_id, serial, accessories, condition, description, "
                     "address, received_at, received_by_id, warranty_state, warranty_rule, is_warranty, "
                     "warranty_override_reason, state_id, version, state_entered_at, due_at, assignee_id, estimate_status, "
                     "handed_back_to")
            more, values = serving.defaults(RepairOrder, given)
            extra = {f"d{index}": value for index, value in enumerate(values)}
            db.execute(f"""
                INSERT INTO repairs_repairorder ({given}{more})
                SELECT 'B-' || i, upper(substr(md5('bench' || i), 1, 13)), (%(centers)s::bigint[])[1 + (i / 10) %% %(n_centers)s::int],
                    'in_center', (%(customers)s::bigint[])[1 + i %% %(n_customers)s::int], 'BR' || i, '', '', 'bench', '',
                    now() - (i %% 700) * interval '1 day', %(reception)s, 'active', '', i %% 3 = 0, '',
                    CASE WHEN (i / 500) %% 100 < 3 THEN (%(open)s::bigint[])[1 + i %% 5] ELSE %(delivered)s END, 3,
                    now() - (i %% 700) * interval '1 day',
                    CASE WHEN (i / 500) %% 100 < 3 THEN now() + ((i %% 7) - 2) * interval '1 day' END,
                    (%(technicians)s::bigint[])[1 + i %% %(n_technicians)s::int], 'none', ''
                    {"".join(f", %({key})s" for key in extra)}
                FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS i
            """, {**extra, "centers": [c.pk for c in centers], "n_centers": CENTERS, "customers": customers,
                  "n_customers": len(customers), "reception": reception.pk, "open": open_states,
                  "delivered": states["delivered"], "technicians": [t.pk for t in technicians],
                  "n_technicians": len(technicians), "low": have + 1, "high": ORDERS})
            print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)
        # Statistics for every table filled here, as autovacuum would have them in a deployment: with none
        # on the 20,000 customers bulk-created, PostgreSQL finds a customer by mobile through the index of
        # merged_into (every row) instead of the mobile's, on every reception.
        db.execute("ANALYZE")
    group, _ = ProductGroup.objects.get_or_create(code="BENCHR", defaults={"name": "یخچال"})
    brand, _ = Brand.objects.get_or_create(code="BENCHR", defaults={"name": "bench"})
    model, _ = ProductModel.objects.get_or_create(brand=brand, code="BR1", defaults={"name": "یخچال آزمون", "group": group})
    return {"model": model.pk, "tokens": tokens, "centers": [center.pk for center in centers], "center": centers[0].pk,
            "reception": reception.pk, "technician": technicians[0], "customers": customers}


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    settings.SECRET_KEY = serving.SECRET_KEY  # signed as the server will check it
    session = SessionStore()
    # Signed in as the login form would: through the first backend that keeps sessions (not axes' lockout one).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _post_reception(link, token, center, mobile, model) -> dict:
    # A serial the registry does not know, so reception asks for the product model.
    body = json.dumps({"center": center, "customer_mobile": mobile, "serial": f"NEW{random.randint(1, 10**9)}",
                       "product_model": model, "description": "سرد نمی‌کند"})
    link.request("POST", "/api/repairs/orders/", body=body,
                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    response = link.getresponse()
    data = response.read()
    if response.status != 201:
        raise RuntimeError(f"{response.status}: {data[:300]!r}")
    return json.loads(data)


class _Receptions:
    """Receptions through the API from any number of client threads, counting the 201s per center and
    keeping what did not answer 201 (a client carries on after it, on a fresh connection)."""

    def __init__(self, fill: dict):
        self.fill, self.lock = fill, threading.Lock()
        self.made, self.failures = collections.Counter(), []

    def receive(self, link, center: int, mobile: str) -> None:
        try:
            _post_reception(link, self.fill["tokens"][center], center, mobile, self.fill["model"])
        except Exception as error:  # counted and reported by a check; the timing stays in the figures
            link.close()
            with self.lock:
                self.failures.append(f"center {center}: {error}")
            return
        with self.lock:
            self.made[center] += 1

    def clients(self, centers: list[int], mobile):
        """``make_work`` for ``serving.concurrent``: each client its own connection, each request into a
        random one of ``centers`` for the customer ``mobile(turn)`` (the client's n-th request, the
        clients starting one turn apart)."""
        starts = itertools.count()

        def make_work():
            link, turns = serving.connection(), itertools.count(next(starts))
            return lambda: self.receive(link, random.choice(centers), mobile(next(turns)))

        return make_work


def _known_mobile(_turn: int = 0) -> str:
    return f"0919{random.randrange(CUSTOMERS):07d}"


def _new_mobiles():
    """A function giving mobiles no customer has, each once: a six-digit prefix (09 12…18, then two
    digits) that no customer's mobile starts with yet, then a counter of five digits."""
    from aftersales.customers.models import Customer

    for operator in range(12, 19):  # 0919 is the known customers'
        for block in random.sample(range(100), 100):
            prefix = f"09{operator}{block:02d}"
            if not Customer.objects.filter(mobile__startswith=prefix).exists():
                counter = itertools.count()

                def new(_turn: int = 0) -> str:
                    number = next(counter)  # one step, safe across threads
                    if number >= 100_000:
                        raise RuntimeError(f"the run used all 100,000 new mobiles of {prefix}")
                    return f"{prefix}{number:05d}"

                return new
    raise RuntimeError("every prefix 0912…0918 holds a customer's mobile: the benchmark database needs a fresh fill")


def _get_page(link, path, cookie) -> bytes:
    link.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = link.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {data[:300]!r}")
    return data


def _baseline_writer(url: str, fill: dict):
    """The rows a reception writes, in bare SQL: returns ``write(db, number_last=False)``, one transaction
    on the psycopg connection ``db``, its number from one sequence row (scope ``bench-base``), taken as the
    first statement or, with ``number_last``, as the last (the order saved under a provisional number)."""
    import psycopg

    from aftersales.core.numbering import provisional_number
    from aftersales.messaging.models import Message
    from aftersales.repairs.models import RepairOrder
    from aftersales.workflow.models import TransitionLog

    with psycopg.connect(url, autocommit=True) as db:
        state = db.execute("SELECT s.id FROM workflow_state s JOIN workflow_workflow w ON w.id = s.workflow_id "
                           "WHERE w.code = 'repair' AND s.is_initial").fetchone()[0]
        content_type = db.execute("SELECT id FROM django_content_type WHERE app_label = 'repairs' AND model = 'repairorder'").fetchone()[0]
        db.execute("INSERT INTO core_documentsequence (scope, document_type, jalali_year, last_number) "
                   "VALUES ('bench-base', 'repair', 1405, 0) ON CONFLICT DO NOTHING")

    given = ("number, tracking_code, center_id, kind, customer_id, serial, accessories, condition, description, "
             "address, received_at, received_by_id, warranty_state, warranty_rule, is_warranty, "
             "warranty_override_reason, state_id, version, state_entered_at, assignee_id, estimate_status, handed_back_to")
    more, values = serving.defaults(RepairOrder, given)
    log_given = "content_type_id, object_id, target_id, at, comment, data"
    log_more, log_values = serving.defaults(TransitionLog, log_given)
    message_given = ('channel, kind, "to", subject, body, html_body, gateway_pattern, pattern_params, attachments, '
                     "event, ref, state, attempts, next_attempt_at, backend, provider_id, error, created_at")
    message_more, message_values = serving.defaults(Message, message_given)

    def take(db) -> str:
        return "BASE-%d" % db.execute("UPDATE core_documentsequence SET last_number = last_number + 1 "
                                      "WHERE scope = 'bench-base' RETURNING last_number").fetchone()[0]

    def write(db, number_last: bool = False) -> None:
        with db.transaction():
            number = provisional_number() if number_last else take(db)
            order = db.execute(
                f"INSERT INTO repairs_repairorder ({given}{more}) "
                "VALUES (%s, %s, %s, 'in_center', %s, 'X', '', '', 'x', '', now(), %s, 'not_registered', '', false, '', %s, 1, "
                f"now(), NULL, 'none', ''{', %s' * len(values)}) RETURNING id",
                [number, secrets.token_hex(8).upper(), fill["center"], random.choice(fill["customers"]),
                 fill["reception"], state, *values]).fetchone()[0]
            db.execute(f"INSERT INTO workflow_transitionlog ({log_given}{log_more}) "
                       f"VALUES (%s, %s, %s, now(), '', '{{}}'{', %s' * len(log_values)})",
                       [content_type, order, state, *log_values])
            db.execute(f"INSERT INTO messaging_message ({message_given}{message_more}) VALUES ('sms', 'service', "
                       "'09190000000', '', 'x', '', '', '{}', '[]', 'reception_created', '', 'queued', 0, now(), '', '', "
                       f"'', now(){', %s' * len(message_values)})", message_values)
            if number_last:
                db.execute("UPDATE repairs_repairorder SET number = %s WHERE id = %s", [take(db), order])

    def clean() -> None:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("DELETE FROM workflow_transitionlog WHERE content_type_id = %s AND object_id IN "
                       "(SELECT id FROM repairs_repairorder WHERE number LIKE 'BASE-%%')", [content_type])
            db.execute("DELETE FROM repairs_repairorder WHERE number LIKE 'BASE-%%'")
            db.execute("DELETE FROM messaging_message WHERE \"to\" = '09190000000'")

    write.clean = clean
    return write


def _baseline_reception(url: str, write) -> dict:
    """A reception's rows in bare SQL, one transaction at a time."""
    import psycopg

    with psycopg.connect(url) as db:
        return serving.timed(range(SEQUENTIAL), lambda _index: write(db))


def _baseline_busy(url: str, write, *, number_last: bool) -> dict:
    """A reception's rows in bare SQL from CLIENTS threads for SECONDS, each thread its own connection, all
    into one number scope: what the database itself allows writers of one center."""
    import psycopg

    opened = []

    def make_work():
        db = psycopg.connect(url)
        opened.append(db)
        return lambda: write(db, number_last)

    try:
        return serving.concurrent(CLIENTS, SECONDS, make_work)
    finally:
        for db in opened:
            db.close()


def _baseline_cartable(url: str, technician) -> dict:
    import psycopg

    with psycopg.connect(url) as db:
        def read(_index):
            open_states = [row[0] for row in db.execute("SELECT id FROM workflow_state WHERE NOT is_final")]
            db.execute("SELECT s.name, s.\"order\", COUNT(*), COUNT(*) FILTER (WHERE o.due_at < now()) "
                       "FROM repairs_repairorder o JOIN workflow_state s ON s.id = o.state_id "
                       "WHERE o.state_id = ANY(%s) AND o.assignee_id = %s GROUP BY 1, 2 ORDER BY 2",
                       [open_states, technician.pk]).fetchall()
            db.execute("SELECT o.*, s.name, c.name, cu.first_name, cu.last_name FROM repairs_repairorder o "
                       "JOIN workflow_state s ON s.id = o.state_id JOIN organization_servicecenter c ON c.id = o.center_id "
                       "JOIN customers_customer cu ON cu.id = o.customer_id "
                       "WHERE o.state_id = ANY(%s) AND o.assignee_id = %s ORDER BY o.due_at, o.received_at LIMIT 200",
                       [open_states, technician.pk]).fetchall()

        return serving.timed(range(SEQUENTIAL), read)


def _orders_check(receptions: _Receptions, started_at):
    """Whether each 201 of this run made exactly one order, center by center."""
    from django.db.models import Count

    from aftersales.repairs.models import RepairOrder

    made = dict(RepairOrder.objects.filter(received_at__gte=started_at).exclude(number__startswith="B-")
                .exclude(number__startswith="BASE-").order_by().values("center_id").annotate(n=Count("pk"))
                .values_list("center_id", "n"))
    answered = dict(receptions.made)
    wrong = [f"center {center}: {made.get(center, 0)} orders for {answered.get(center, 0)}"
             for center in sorted(set(made) | set(answered)) if made.get(center, 0) != answered.get(center, 0)]
    detail = (f"{sum(made.values()):,} orders for {sum(answered.values()):,} receptions in {len(answered)} centers"
              + (f"; {', '.join(wrong[:5])}" if wrong else ""))
    return not wrong, detail


def _numbers_check(centers, started_at):
    """In each of ``centers``, whether the orders of this run all carry a final number and the center's
    numbers of their Jalali year are unique and run 1…N with no gap."""
    from aftersales.repairs.models import RepairOrder

    numbered = re.compile(r"(\d{4})-(\d{6,})")
    made = list(RepairOrder.objects.filter(center_id__in=centers, received_at__gte=started_at)
                .exclude(number__startswith="B-").exclude(number__startswith="BASE-").values_list("number", flat=True))
    unfinished = [number for number in made if not numbered.fullmatch(number)]
    years = sorted({numbered.fullmatch(number)[1] for number in made if numbered.fullmatch(number)})
    broken, counted = [], 0
    for center in sorted(centers):
        for year in years:
            serials = sorted(int(number.rsplit("-", 1)[1]) for number in RepairOrder.objects.filter(
                center_id=center, number__startswith=f"{year}-").values_list("number", flat=True))
            counted += len(serials)
            if serials != list(range(1, len(serials) + 1)):
                broken.append(f"center {center} ({year}: {len(serials)} numbers up to {serials[-1] if serials else 0})")
    detail = (f"{len(centers)} centers, {counted:,} numbers of {'/'.join(years) or 'no year'}"
              + (f"; gaps or doubles in {', '.join(broken[:5])}" if broken else "")
              + (f"; {len(unfinished)} orders without a final number, e.g. {unfinished[0]}" if unfinished else ""))
    return not broken and not unfinished and bool(made), detail


def run(url: str) -> list:
    from django.utils import timezone

    from benchmarks.report import Aim, Check

    fill = _fill(url)
    technician = fill["technician"]
    cookie = _session_cookie(technician)
    open_orders = technician.assigned_repairs.filter(state__is_final=False).count()
    write = _baseline_writer(url, fill)
    try:
        base_one = _baseline_reception(url, write)
        base_first = _baseline_busy(url, write, number_last=False)
        base_last = _baseline_busy(url, write, number_last=True)
    finally:
        write.clean()
    base_cartable = _baseline_cartable(url, technician)
    new_mobile = _new_mobiles()

    def half_new(turn: int) -> str:
        return new_mobile() if turn % 2 else _known_mobile()

    receptions = _Receptions(fill)
    center, started_at = fill["center"], timezone.now()
    with serving.gunicorn(url):
        link = serving.connection()
        for turn in range(10):  # warm the workers
            receptions.receive(link, center, half_new(turn))
            _get_page(link, "/repairs/cartable/", cookie)
        # Every thread of every worker opens its database connection before anything is timed (else the
        # first concurrent run pays for it in its p99).
        serving.concurrent(CLIENTS, min(SECONDS, 2.0), receptions.clients([center], half_new))
        one_known = serving.timed(range(SEQUENTIAL), lambda _i: receptions.receive(link, center, _known_mobile()))
        one_new = serving.timed(range(SEQUENTIAL), lambda _i: receptions.receive(link, center, new_mobile()))
        busy_known = serving.concurrent(CLIENTS, SECONDS, receptions.clients([center], _known_mobile))
        busy_new = serving.concurrent(CLIENTS, SECONDS, receptions.clients([center], new_mobile))
        busy_half = serving.concurrent(CLIENTS, SECONDS, receptions.clients([center], half_new))
        spread = serving.concurrent(CLIENTS, SECONDS, receptions.clients(fill["centers"], half_new))
        link = serving.connection()  # the first one has idled past the server's keep-alive by now
        page = serving.timed(range(SEQUENTIAL), lambda _i: _get_page(link, "/repairs/cartable/", cookie))
    print(f"repair workshop: {ORDERS:,} past orders, {CENTERS * TECHNICIANS_PER_CENTER} technicians in {CENTERS} centers; "
          f"the technician's cartable holds {open_orders} open orders; gunicorn with {os.cpu_count()} workers × 4 threads; "
          f"{CLIENTS} concurrent clients for {SECONDS:g} s each run, half new customers = every other request of each client")
    print(serving.header())
    print(serving.row("bare SQL: a reception's rows, one at a time", base_one))
    print(serving.row(f"bare SQL: {CLIENTS} writers in one scope, number taken first", base_first))
    print(serving.row(f"bare SQL: {CLIENTS} writers in one scope, number taken last", base_last))
    print(serving.row("API, one at a time, known customer", one_known))
    print(serving.row("API, one at a time, new customer", one_new))
    print(serving.row(f"API, {CLIENTS} clients in one center, known customers", busy_known))
    print(serving.row(f"API, {CLIENTS} clients in one center, new customers", busy_new))
    print(serving.row(f"API, {CLIENTS} clients in one center, half new customers", busy_half))
    print(serving.row(f"API, {CLIENTS} clients spread over {CENTERS} centers, half new", spread))
    print(serving.row("bare SQL: the cartable's three queries", base_cartable))
    print(serving.row("a technician's cartable page over HTTP", page))
    print("quoted from issue 21, NOT measured here (ERPNext 15, a Warranty Claim over its REST API, same kind of machine):")
    print(serving.row("  ERPNext 15, one client at a time (quoted)", ERPNEXT_ONE))
    print(serving.row("  ERPNext 15, 16 clients in one center (quoted)", ERPNEXT_BUSY))
    orders_ok, orders_detail = _orders_check(receptions, started_at)
    numbers_ok, numbers_detail = _numbers_check(set(receptions.made), started_at)
    failures = receptions.failures
    return [
        Aim("reception through the API p50, one client, known customer", one_known["p50_ms"], 10, "ms", "lower", "issue 21"),
        Aim("reception through the API p50, one client, new customer", one_new["p50_ms"], 15, "ms", "lower", "issue 21"),
        Aim(f"receptions/s, {CLIENTS} clients in one center, half new customers", busy_half["per_second"], 65, "/s",
            "higher", "issue 21"),
        Aim(f"reception p95, {CLIENTS} clients in one center, half new customers", busy_half["p95_ms"], 300, "ms",
            "lower", "issue 21"),
        Aim("a technician's cartable page p95", page["p95_ms"], 100, "ms", "lower", "issue 6"),
        Check("every reception through the API answered 201", not failures,
              f"{len(failures)} did not, e.g. {failures[0][:200]}" if failures else ""),
        Check("each reception answered 201 made one order (nothing lost, none twice)", orders_ok, orders_detail),
        Check("each center received into numbers its year 1…N, unique, no gap", numbers_ok, numbers_detail),
    ]
