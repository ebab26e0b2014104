"""The repair workshop with BENCH_REPAIR_ORDERS past orders (default 1,000,000) and 500 technicians in
50 centers, in PostgreSQL, through the real HTTP stack (gunicorn, as bench_warranty).

Measured: creating a reception through the API (one at a time: p50/p95; then orders/second with 8
concurrent clients), and a technician's cartable page (p50/p95). Baselines in the same run: the
same writes of a reception in bare SQL through psycopg (number, order, the workflow
step, the tracking SMS in the outbox, in one transaction), and the cartable's queries in bare SQL.
"""

import json
import os
import random
import time

from benchmarks import serving

ORDERS = int(os.environ.get("BENCH_REPAIR_ORDERS", "1000000"))
CENTERS, TECHNICIANS_PER_CENTER = 50, 10
SEQUENTIAL = int(os.environ.get("BENCH_REQUESTS", "300"))
CLIENTS, SECONDS = 8, float(os.environ.get("BENCH_SECONDS", "15"))


def _fill(url: str) -> dict:
    """Centers BR01…, technicians, customers and ORDERS past orders (97 % delivered), once."""
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
    reception, created = User.objects.get_or_create(username="bench-reception", defaults={"first_name": "پذیرش"})
    if created:
        CenterMembership.objects.create(user=reception, center=centers[0])
        Group.objects.get(name="receptionist").user_set.add(reception)
    if Customer.objects.filter(mobile__startswith="0919").count() < 20_000:
        Customer.objects.bulk_create([Customer(kind="person", first_name="مشتری", last_name=str(i), mobile=f"0919{i:07d}")
                                      for i in range(20_000)], batch_size=5000, ignore_conflicts=True)
    customers = list(Customer.objects.filter(mobile__startswith="0919").values_list("pk", flat=True)[:20_000])
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
            db.execute("ANALYZE repairs_repairorder")
            print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)
    group, _ = ProductGroup.objects.get_or_create(code="BENCHR", defaults={"name": "یخچال"})
    brand, _ = Brand.objects.get_or_create(code="BENCHR", defaults={"name": "bench"})
    model, _ = ProductModel.objects.get_or_create(brand=brand, code="BR1", defaults={"name": "یخچال آزمون", "group": group})
    return {"model": model.pk, "token": Token.objects.get_or_create(user=reception)[0].key, "center": centers[0].pk, "reception": reception.pk,
            "technician": technicians[0], "customers": customers}


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


def _get_page(link, path, cookie) -> bytes:
    link.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = link.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {data[:300]!r}")
    return data


def _baseline_reception(url: str, fill: dict) -> dict:
    """The rows a reception writes, in bare SQL, one transaction each."""
    import psycopg

    from aftersales.messaging.models import Message
    from aftersales.repairs.models import RepairOrder
    from aftersales.workflow.models import TransitionLog

    with psycopg.connect(url) as db:
        state = db.execute("SELECT s.id FROM workflow_state s JOIN workflow_workflow w ON w.id = s.workflow_id "
                           "WHERE w.code = 'repair' AND s.is_initial").fetchone()[0]
        content_type = db.execute("SELECT id FROM django_content_type WHERE app_label = 'repairs' AND model = 'repairorder'").fetchone()[0]
        db.execute("INSERT INTO core_documentsequence (scope, document_type, jalali_year, last_number) "
                   "VALUES ('bench-base', 'repair', 1405, 0) ON CONFLICT DO NOTHING")
        db.commit()

        given = ("number, tracking_code, center_id, kind, customer_id, serial, accessories, condition, description, "
                 "address, received_at, received_by_id, warranty_state, warranty_rule, is_warranty, "
                 "warranty_override_reason, state_id, version, state_entered_at, assignee_id, estimate_status, handed_back_to")
        more, values = serving.defaults(RepairOrder, given)
        log_given = "content_type_id, object_id, target_id, at, comment, data"
        log_more, log_values = serving.defaults(TransitionLog, log_given)
        message_given = ('channel, kind, "to", subject, body, html_body, gateway_pattern, pattern_params, attachments, '
                         "event, ref, state, attempts, next_attempt_at, backend, provider_id, error, created_at")
        message_more, message_values = serving.defaults(Message, message_given)

        def write(index):
            with db.transaction():
                number = db.execute("UPDATE core_documentsequence SET last_number = last_number + 1 WHERE scope = 'bench-base' "
                                    "RETURNING last_number").fetchone()[0]
                order = db.execute(
                    f"INSERT INTO repairs_repairorder ({given}{more}) "
                    "VALUES (%s, %s, %s, 'in_center', %s, 'X', '', '', 'x', '', now(), %s, 'not_registered', '', false, '', %s, 1, "
                    f"now(), NULL, 'none', ''{', %s' * len(values)}) RETURNING id",
                    [f"BASE-{number}", f"BASE{number:09d}", fill["center"], fill["customers"][index % 1000],
                     fill["reception"], state, *values]).fetchone()[0]
                db.execute(f"INSERT INTO workflow_transitionlog ({log_given}{log_more}) "
                           f"VALUES (%s, %s, %s, now(), '', '{{}}'{', %s' * len(log_values)})",
                           [content_type, order, state, *log_values])
                db.execute(f"INSERT INTO messaging_message ({message_given}{message_more}) VALUES ('sms', 'service', "
                           "'09190000000', '', 'x', '', '', '{}', '[]', 'reception_created', '', 'queued', 0, now(), '', '', "
                           f"'', now(){', %s' * len(message_values)})", message_values)

        try:
            return serving.timed(range(SEQUENTIAL), write)
        finally:
            db.execute("DELETE FROM workflow_transitionlog WHERE object_id IN (SELECT id FROM repairs_repairorder WHERE number LIKE 'BASE-%%')")
            db.execute("DELETE FROM repairs_repairorder WHERE number LIKE 'BASE-%%'")
            db.execute("DELETE FROM messaging_message WHERE \"to\" = '09190000000'")
            db.commit()


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


def _numbers_check(center: int, started_at):
    """Receptions made by this run: how many, and whether the center's numbers this year run 1…N with no gap."""
    from aftersales.repairs.models import RepairOrder

    made = RepairOrder.objects.filter(center_id=center, received_at__gte=started_at).exclude(number__startswith="B-")
    numbers = list(made.values_list("number", flat=True))
    year = max((number.split("-")[0] for number in numbers), default="")
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in RepairOrder.objects.filter(
        center_id=center, number__startswith=f"{year}-").values_list("number", flat=True))
    return len(numbers), serials == list(range(1, len(serials) + 1))


def run(url: str) -> list:
    from django.utils import timezone

    from benchmarks.report import Aim, Check

    fill = _fill(url)
    technician = fill["technician"]
    cookie = _session_cookie(technician)
    open_orders = technician.assigned_repairs.filter(state__is_final=False).count()
    base_reception = _baseline_reception(url, fill)
    base_cartable = _baseline_cartable(url, technician)
    started_at = timezone.now()
    with serving.gunicorn(url):
        link = serving.connection()
        mobiles = [f"0919{i:07d}" for i in range(20_000)]
        for _ in range(10):  # warm the workers
            _post_reception(link, fill["token"], fill["center"], random.choice(mobiles), fill["model"])
            _get_page(link, "/repairs/cartable/", cookie)
        one = serving.timed(range(SEQUENTIAL), lambda i: _post_reception(link, fill["token"], fill["center"], random.choice(mobiles), fill["model"]))

        def make_work():
            own = serving.connection()
            return lambda: _post_reception(own, fill["token"], fill["center"], random.choice(mobiles), fill["model"])

        many = serving.concurrent(CLIENTS, SECONDS, make_work)
        page = serving.timed(range(SEQUENTIAL), lambda i: _get_page(link, "/repairs/cartable/", cookie))
    print(f"repair workshop: {ORDERS:,} past orders, {CENTERS * TECHNICIANS_PER_CENTER} technicians in {CENTERS} centers; "
          f"the technician's cartable holds {open_orders} open orders; gunicorn with {os.cpu_count()} workers × 4 threads")
    print(serving.header())
    print(serving.row("baseline: a reception's rows in bare SQL, one transaction", base_reception))
    print(serving.row("reception through the API, one at a time", one))
    print(serving.row(f"reception through the API, {CLIENTS} concurrent clients ({SECONDS:g} s)", many))
    print(serving.row("baseline: the cartable's three queries in bare SQL", base_cartable))
    print(serving.row("a technician's cartable page over HTTP", page))
    made, gap_free = _numbers_check(fill["center"], started_at)
    asked = 10 + one["n"] + many["n"]
    return [
        Aim("reception through the API p50, one at a time", one["p50_ms"], 10, "ms", "lower", "issue 6"),
        Aim("a technician's cartable page p95", page["p95_ms"], 100, "ms", "lower", "issue 6"),
        Check("each reception answered 201 made one order (nothing lost, none twice)", made == asked,
              f"{made:,} orders for {asked:,} receptions"),
        Check("the center's order numbers run 1…N with no gap", gap_free),
    ]
