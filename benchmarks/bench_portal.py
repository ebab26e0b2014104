"""The customer's portal (issue 22): a signed-in customer's pages through the real HTTP stack (gunicorn, as
bench_repairs), for a customer with 20 units and 100 repair orders, in a network of BENCH_PORTAL_CUSTOMERS
customers (default 5,000) with a mobile phone each, BENCH_PORTAL_UNITS units (default 20,000; two in three
with a warranty card) and BENCH_PORTAL_ORDERS repair orders (default 50,000) with their workflow steps,
a service invoice for one in five and a payment for half of those, in PostgreSQL.

The customer's own rows are written through the services where a customer's are (cards issued and
activated, so the periodic services are planned; a warranty voided; operations; invoices and payments; a
survey), the orders themselves in bulk in every state (twelve open, two of them with an estimate waiting).
The customer signs in as a customer does, over HTTP: the mobile, then the code texted to it, sent by the
outbox's worker (``messaging.dispatch.dispatch_due``, run in the benchmark's process) through the ``file``
SMS backend into a temporary sms.jsonl, where the benchmark reads it like a phone.

Measured, one request at a time, BENCH_REQUESTS rounds (default 300), each round every page once in turn:
the home page, my products, one product (the 20 in turn), my repairs, one repair (the 100 in turn);
p50/p95/p99 each, against issue 22's aim (p95 under 100 ms). Baseline in the same run, in bare SQL through
psycopg: the rows each page shows (the session, the account's customers, the page's reads), one at a time.
Checks: each page shows what the customer has (the 20 units in their warranty states, the orders split open
and finished, the estimates waiting, a unit's history, an invoice's payments and what is owed) and nothing of
another customer.
"""

import datetime
import json
import os
import re
import secrets
import tempfile
import time
import urllib.parse
from pathlib import Path

from benchmarks import serving

CUSTOMERS = int(os.environ.get("BENCH_PORTAL_CUSTOMERS", "5000"))
UNITS = int(os.environ.get("BENCH_PORTAL_UNITS", "20000"))
ORDERS = int(os.environ.get("BENCH_PORTAL_ORDERS", "50000"))
ROUNDS = int(os.environ.get("BENCH_REQUESTS", "300"))
MOBILE = "09160000020"  # the benchmark's customer; the network's mobiles are 0917…
OWN_UNITS, OWN_ORDERS = 20, 100
# Of the customer's 100 orders, the newest twelve are open, in these states in turn; the two awaiting
# approval wait for the customer's answer to an estimate.
OPEN_STATES = ["received", "diagnosing", "awaiting_approval", "awaiting_parts", "repairing", "quality_check", "ready"]
OPEN_ORDERS = 12
# The steps of a finished order, oldest first.
DELIVERED_PATH = ["received", "diagnosing", "repairing", "quality_check", "ready", "delivered"]
PAGES = ["home", "units", "unit", "repairs", "repair"]


def _catalog() -> dict:
    """A fridge model with a policy (18 months, activation, two free and two paid periodic services, the
    compressor five years), a fan model with none, a service and a technician's center."""
    from aftersales.catalog.models import Brand, ComponentType, ModelComponent, ProductGroup, ProductModel, ServiceItem
    from aftersales.warranty.models import ComponentTerm, ModelWarranty, PolicyVersion, WarrantyPolicy

    group, _ = ProductGroup.objects.get_or_create(code="BENCHP", defaults={"name": "یخچال"})
    brand, _ = Brand.objects.get_or_create(code="BENCHP", defaults={"name": "bench"})
    fridge, _ = ProductModel.objects.get_or_create(brand=brand, code="BP1", defaults={"name": "یخچال ساید آزمون",
                                                                                      "group": group})
    fan, _ = ProductModel.objects.get_or_create(brand=brand, code="BP2", defaults={"name": "پنکه آزمون", "group": group})
    compressor, _ = ComponentType.objects.get_or_create(code="BENCHPCMP", defaults={"name": "کمپرسور"})
    ModelComponent.objects.get_or_create(product_model=fridge, component_type=compressor)
    policy, _ = WarrantyPolicy.objects.get_or_create(code="bench-portal", defaults={"name": "گارانتی ۱۸ ماهه آزمون"})
    version, _ = PolicyVersion.objects.get_or_create(policy=policy, effective_from=datetime.date(2020, 1, 1), defaults={
        "duration_months": 18, "free_periodic_services": 2, "paid_periodic_services": 2, "periodic_interval_months": 6,
        "paid_periodic_price": 12_000_000})
    ComponentTerm.objects.get_or_create(version=version, component_type=compressor, defaults={"duration_months": 60})
    ModelWarranty.objects.get_or_create(product_model=fridge, defaults={"policy": policy})
    service, _ = ServiceItem.objects.get_or_create(code="BENCHP-GAS", defaults={
        "title": "شارژ گاز و نشت‌یابی", "product_group": group, "labour_price": 2_500_000})
    return {"brand": brand, "fridge": fridge, "fan": fan, "version": version, "service": service,
            "compressor": compressor}


def _people() -> dict:
    from django.contrib.auth.models import Group

    from aftersales.organization.models import CenterMembership, ServiceCenter, User
    from aftersales.organization.roles import sync_roles

    sync_roles()
    centers = []
    for index in range(1, 11):
        center, _ = ServiceCenter.objects.get_or_create(code=f"BP{index:02d}", defaults={
            "name": f"مرکز پرتال {index}", "province": "تهران", "city": "تهران", "phone": "02188776655",
            "address": "خیابان آزادی، پلاک ۱۰"})
        centers.append(center)
    users = {}
    for name, role in (("reception", "receptionist"), ("technician", "technician"), ("accountant", "accountant")):
        user, _ = User.objects.get_or_create(username=f"bench-portal-{name}", defaults={"first_name": name,
                                                                                         "last_name": "bench"})
        CenterMembership.objects.get_or_create(user=user, center=centers[0])
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.user_set.add(user)
        users[name] = user
    return {"centers": centers, **users}


def _fill_network(url: str, catalog: dict, people: dict) -> None:
    """The other customers, their phones, units, cards, orders with their steps, invoices and payments, in bare SQL, once."""
    import psycopg
    from django.contrib.contenttypes.models import ContentType

    from aftersales.billing.models import Invoice, InvoiceLine, Payment
    from aftersales.catalog.models import ProductUnit
    from aftersales.customers.models import Customer, CustomerPhone
    from aftersales.repairs.models import RepairOrder
    from aftersales.warranty.models import WarrantyCard
    from aftersales.workflow.models import State, TransitionLog

    states = {state.code: state.pk for state in State.objects.filter(workflow__code="repair")}
    open_states = [states[code] for code in OPEN_STATES]
    content_type = ContentType.objects.get_for_model(RepairOrder).pk

    def insert(db, model, given: str, select: str, params: dict) -> None:
        more, values = serving.defaults(model, given)
        extra = {f"d{index}": value for index, value in enumerate(values)}
        select = select.replace("{more}", "".join(f", %({key})s" for key in extra))
        db.execute(f"INSERT INTO {model._meta.db_table} ({given}{more}) {select}", {**params, **extra})

    with psycopg.connect(url, autocommit=True) as db:
        have = db.execute("SELECT COUNT(*) FROM repairs_repairorder WHERE number LIKE 'P-%%'").fetchone()[0]
        if have >= ORDERS:
            return
        started = time.perf_counter()
        print(f"(filling {CUSTOMERS:,} customers, {UNITS:,} units and {ORDERS:,} repair orders…)", flush=True)
        with db.transaction():
            insert(db, Customer, "kind, first_name, last_name, mobile, search_text, created_at", """
                SELECT 'person', 'مشتری', 'شماره ' || i, '0917' || lpad(i::text, 7, '0'), 'مشتری شماره ' || i, now(){more}
                FROM generate_series(1, %(n)s) AS i""", {"n": CUSTOMERS})
            insert(db, CustomerPhone, "customer_id, kind, number", """
                SELECT id, 'mobile', mobile{more} FROM customers_customer WHERE mobile LIKE '0917%%'""", {})
            customers = [row[0] for row in db.execute(
                "SELECT id FROM customers_customer WHERE mobile LIKE '0917%%' ORDER BY id")]
            insert(db, ProductUnit, ("serial, serial_key, brand_id, product_model_id, production_date, sale_date, status, "
                                     "owner_id, created_at, updated_at"), """
                SELECT 'BP-' || lpad(i::text, 8, '0'), 'BP' || lpad(i::text, 8, '0'), %(brand)s, %(model)s,
                       current_date - 900 + (i %% 100), current_date - (i %% 800), 'sold',
                       (%(customers)s::bigint[])[1 + i %% %(n_customers)s::int], now(), now(){more}
                FROM generate_series(1, %(n)s) AS i""",
                   {"brand": catalog["brand"].pk, "model": catalog["fridge"].pk, "customers": customers,
                    "n_customers": len(customers), "n": UNITS})
            # Two units in three have a card: most activated on the day of sale, one in ten waiting.
            insert(db, WarrantyCard, "number, unit_id, status, policy_version_id, purchase_date, issued_at, activated_at, channel", """
                SELECT 'BPW' || lpad(id::text, 10, '0'), id, CASE WHEN id %% 10 = 1 THEN 'issued' ELSE 'active' END,
                       CASE WHEN id %% 10 = 1 THEN NULL ELSE %(version)s END,
                       CASE WHEN id %% 10 = 1 THEN NULL ELSE sale_date END, now(),
                       CASE WHEN id %% 10 = 1 THEN NULL ELSE now() END, CASE WHEN id %% 10 = 1 THEN '' ELSE 'dealer' END{more}
                FROM catalog_productunit WHERE serial LIKE 'BP-%%' AND id %% 3 <> 0""",
                   {"version": catalog["version"].pk})
            units = db.execute("SELECT id, owner_id FROM catalog_productunit WHERE serial LIKE 'BP-%%' ORDER BY id").fetchall()
            # Orders of the last two years; 3 in 100 open, the rest delivered; one in three under warranty.
            insert(db, RepairOrder, ("number, tracking_code, center_id, kind, customer_id, unit_id, product_model_id, serial, "
                                     "accessories, condition, description, address, received_at, received_by_id, "
                                     "warranty_state, warranty_rule, is_warranty, warranty_override_reason, state_id, "
                                     "version, state_entered_at, estimate_status, handed_back_to, handed_back_at"), """
                SELECT 'P-' || i, upper(substr(md5('portal' || i), 1, 14)), (%(centers)s::bigint[])[1 + i %% %(n_centers)s::int],
                    'in_center', (%(owners)s::bigint[])[1 + i %% %(n_units)s::int], (%(units)s::bigint[])[1 + i %% %(n_units)s::int],
                    %(model)s, '', '', '', 'سرد نمی‌کند', '', now() - (i %% 700) * interval '1 day', %(reception)s,
                    CASE WHEN i %% 3 = 0 THEN 'active' ELSE 'expired' END, '', i %% 3 = 0, '',
                    CASE WHEN i %% 100 < 3 THEN (%(open)s::bigint[])[1 + i %% %(n_open)s::int] ELSE %(delivered)s END, 3,
                    now() - (i %% 700) * interval '1 day', 'none', '',
                    CASE WHEN i %% 100 < 3 THEN NULL ELSE now() - (i %% 700) * interval '1 day' + interval '4 days' END{more}
                FROM generate_series(1, %(n)s) AS i""",
                   {"centers": [c.pk for c in people["centers"]], "n_centers": len(people["centers"]),
                    "owners": [owner for _id, owner in units], "units": [pk for pk, _owner in units], "n_units": len(units),
                    "model": catalog["fridge"].pk, "reception": people["reception"].pk, "open": open_states,
                    "n_open": len(open_states), "delivered": states["delivered"], "n": ORDERS})
            # Each order's first step (received) and, for one that moved on, the step into its state.
            insert(db, TransitionLog, "content_type_id, object_id, source_id, target_id, at, comment, data", """
                SELECT %(ct)s, id, NULL, %(received)s, received_at, '', '{}'{more}
                FROM repairs_repairorder WHERE number LIKE 'P-%%'""", {"ct": content_type, "received": states["received"]})
            insert(db, TransitionLog, "content_type_id, object_id, source_id, target_id, at, comment, data", """
                SELECT %(ct)s, id, %(received)s, state_id, state_entered_at + interval '1 day', '', '{}'{more}
                FROM repairs_repairorder WHERE number LIKE 'P-%%' AND state_id <> %(received)s""",
                   {"ct": content_type, "received": states["received"]})
            # A service invoice for one delivered paid order in five (the warranty ones are claimed elsewhere).
            insert(db, Invoice, "center_id, number, kind, customer_id, subtotal, vat_percent, vat, total, issued_at", """
                SELECT center_id, 'PI-' || id, 'service', customer_id, 3000000, 10, 300000, 3300000, handed_back_at{more}
                FROM repairs_repairorder WHERE number LIKE 'P-%%' AND handed_back_at IS NOT NULL AND NOT is_warranty
                AND id %% 5 = 0""", {})
            insert(db, InvoiceLine, "invoice_id, order_id, kind, description, quantity, unit_price, amount, is_warranty", """
                SELECT i.id, o.id, 'labour', 'شارژ گاز', 1, 3000000, 3000000, false{more}
                FROM billing_invoice i JOIN repairs_repairorder o ON i.number = 'PI-' || o.id
                WHERE i.number LIKE 'PI-%%'""", {})
            insert(db, Payment, "invoice_id, method, amount, reference, paid_at", """
                SELECT id, 'cash', total, '', issued_at{more} FROM billing_invoice WHERE number LIKE 'PI-%%' AND id %% 2 = 0""", {})
        print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)


def _fill_customer(catalog: dict, people: dict) -> dict:
    """The benchmark's customer (MOBILE), once: 20 units in every warranty state with cards, periodic
    services and a replaced compressor, and 100 orders, twelve open (two waiting for the answer to an
    estimate), the finished ones with their steps and work, invoices paid in full, in part or not yet, and
    a survey not answered yet."""
    from django.db import transaction

    from aftersales.customers.models import Customer

    customer = Customer.objects.filter(mobile=MOBILE).first()
    if customer is not None:
        return {"customer": customer}
    with transaction.atomic():  # all or nothing: a reused database never holds half a customer
        return _write_customer(catalog, people)


def _write_customer(catalog: dict, people: dict) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from aftersales.billing.services import invoice_issue, payment_record
    from aftersales.catalog.models import ProductUnit, UnitComponent
    from aftersales.customers.models import Customer, CustomerPhone
    from aftersales.feedback.services import survey_invite
    from aftersales.repairs.models import EstimateLine, RepairOrder
    from aftersales.repairs.services import operation_add
    from aftersales.warranty.models import VoidReason
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void
    from aftersales.workflow.models import State, TransitionLog

    today, now = timezone.localdate(), timezone.now()
    customer = Customer.objects.create(kind="person", first_name="مریم", last_name="آزمون", mobile=MOBILE)
    CustomerPhone.objects.create(customer=customer, kind="mobile", number=MOBILE)
    units = []
    for index in range(OWN_UNITS):
        model = catalog["fan"] if index == OWN_UNITS - 1 else catalog["fridge"]
        units.append(ProductUnit.objects.create(
            serial=f"BPC-{index:03d}", brand=catalog["brand"], product_model=model, owner=customer, status="sold",
            production_date=today - datetime.timedelta(days=1500), sale_date=today - datetime.timedelta(days=60 * index + 20)))
    # 0–7 active, 8–12 expired (their compressors still covered), 13–16 waiting for activation, 17 voided,
    # 18 with no card, 19 of a model with no warranty.
    bought = {**{index: 25 + 40 * index for index in range(8)}, **{index: 560 + 90 * (index - 8) for index in range(8, 13)},
              17: 100}
    for index, unit in enumerate(units[:18]):
        card = warranty_card_issue(unit=unit)
        if index not in bought:
            continue
        purchase = today - datetime.timedelta(days=bought[index])
        warranty_card_activate(number=card.number, purchase_date=purchase, channel="staff",
                               acting_user=people["reception"], owner=customer)
    warranty_void(unit=units[17], reason=VoidReason.VOLTAGE, acting_user=people["technician"])
    UnitComponent.objects.bulk_create([
        UnitComponent(unit=unit, component_type=catalog["compressor"], serial=f"BPC-CMP-{unit.pk}",
                      fitted_on=today - datetime.timedelta(days=10 + index)) for index, unit in enumerate(units[:4])])

    states = {state.code: state for state in State.objects.filter(workflow__code="repair")}
    orders = []
    for index in range(OWN_ORDERS):
        unit = units[index % OWN_UNITS]
        received = now - datetime.timedelta(days=7 * index + 1, hours=index % 9)
        is_open = index < OPEN_ORDERS
        state = states[OPEN_STATES[index % len(OPEN_STATES)]] if is_open else states["delivered"]
        pending = is_open and state.code == "awaiting_approval"
        orders.append(RepairOrder(
            number=f"PC-{index + 1:04d}", tracking_code=secrets.token_hex(7).upper(), center=people["centers"][0],
            customer=customer, unit=unit, product_model=unit.product_model, serial=unit.serial,
            description=["برفک زیاد می‌زند", "سرد نمی‌کند", "صدای غیرعادی دارد"][index % 3], accessories="",
            condition="بدنه سالم", received_at=received, received_by=people["reception"],
            warranty_state="active" if index % 3 == 0 else "expired", is_warranty=index % 3 == 0, state=state,
            state_entered_at=received + datetime.timedelta(days=1), assignee=people["technician"],
            promised_on=(today + datetime.timedelta(days=3)) if is_open else None,
            estimate_status="pending" if pending else "none", estimate_amount=4_400_000 if pending else None,
            handed_back_at=None if is_open else received + datetime.timedelta(days=4),
            handed_back_to="" if is_open else "مریم آزمون، کارت ملی"))
    orders = RepairOrder.objects.bulk_create(orders)
    logs, content_type = [], ContentType.objects.get_for_model(RepairOrder)
    for order in orders:
        path = DELIVERED_PATH if order.state.code == "delivered" else \
            ["received", "diagnosing", *([order.state.code] if order.state.code not in ("received", "diagnosing") else [])]
        path = path[:path.index(order.state.code) + 1]
        for step, (source, target) in enumerate(zip([None, *path], path)):
            logs.append(TransitionLog(content_type=content_type, object_id=order.pk, by=people["technician"],
                                      source=states[source] if source else None, target=states[target],
                                      at=order.received_at + datetime.timedelta(hours=12 * step)))
        if order.estimate_status == "pending":
            EstimateLine.objects.bulk_create([
                EstimateLine(order=order, kind="labour", description="شارژ گاز", quantity=1, unit_price=1_500_000,
                             amount=1_500_000, service_item=catalog["service"]),
                EstimateLine(order=order, kind="part", description="کمپرسور", quantity=1, unit_price=2_500_000,
                             amount=2_500_000)])
    TransitionLog.objects.bulk_create(logs)
    invoiced = 0
    for index, order in enumerate(orders):
        if order.state.code != "delivered":
            continue
        operation_add(order=order, acting_user=people["technician"], service_item=catalog["service"], minutes=45)
        if order.is_warranty or invoiced >= 40:
            continue
        invoice = invoice_issue(orders=[order], acting_user=people["accountant"])
        invoiced += 1
        if invoiced % 4 == 1:
            payment_record(invoice=invoice, amount=invoice.owed // 2 // 10_000 * 10_000, method="card",
                           reference="724519", acting_user=people["accountant"])
        elif invoiced % 4 != 0:
            payment_record(invoice=invoice, amount=invoice.owed, method="cash", acting_user=people["accountant"])
    finished = next(order for order in orders if order.state.code == "delivered")
    survey_invite(mobile=MOBILE, customer=customer, center=finished.center, product_model=finished.product_model,
                  ref=f"repairs.repairorder:{finished.pk}")
    return {"customer": customer}


class _Browser:
    """One keep-alive connection with a cookie jar, as a phone's browser behind the site's TLS proxy."""

    def __init__(self):
        self.link, self.cookies = serving.connection(), {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{serving.PORT}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"https://127.0.0.1:{serving.PORT}"})
        self.link.request(method, path, body=body, headers=headers)
        response = self.link.getresponse()
        data = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and 'expires=Thu, 01 Jan 1970' not in header:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, dict(response.headers.items()), data

    def page(self, path: str) -> str:
        status, _headers, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}: {data[:300]!r}")
        return data


def _texted_code(mobile: str, phone: Path) -> str:
    """The code in the last SMS to ``mobile``: the outbox's worker sends what is due through the ``file``
    backend into ``phone`` (a JSON line each), as the demo's phone receives it."""
    from django.test import override_settings

    from aftersales.messaging.backends import backends_reset
    from aftersales.messaging.dispatch import dispatch_due

    with override_settings(MESSAGING_SMS_BACKEND="file", MESSAGING_SMS_OPTIONS={"path": str(phone)}):
        backends_reset()
        try:
            for _ in range(100):
                dispatch_due()
                texts = [json.loads(line)["text"] for line in phone.read_text(encoding="utf-8").splitlines()
                         if line.strip() and json.loads(line)["to"] == mobile] if phone.exists() else []
                if texts:
                    return re.search(r"(?<!\d)\d{5}(?!\d)", texts[-1]).group()
                time.sleep(0.1)
        finally:
            backends_reset()
    raise RuntimeError(f"no SMS reached {mobile}")


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _sign_in(mobile: str) -> _Browser:
    """Sign in on the portal as a customer does: the mobile, then the texted code."""
    from aftersales.portal.models import SignInRequest

    SignInRequest.objects.filter(mobile=mobile).delete()  # a reused database: earlier runs' codes count to the limit
    browser = _Browser()
    form = browser.page("/portal/sign-in/")
    status, headers, data = browser.request("POST", "/portal/sign-in/", {"mobile": mobile,
                                                                          "csrfmiddlewaretoken": _csrf_token(form)})
    if status != 302:
        raise RuntimeError(f"asking for a code: {status}: {data[:300]!r}")
    code_page = urllib.parse.urlsplit(headers["Location"]).path
    form = browser.page(code_page)
    with tempfile.TemporaryDirectory() as folder:
        code = _texted_code(mobile, Path(folder) / "messages" / "sms.jsonl")
    status, headers, data = browser.request("POST", code_page, {"code": code, "csrfmiddlewaretoken": _csrf_token(form)})
    if status != 302 or urllib.parse.urlsplit(headers["Location"]).path != "/portal/":
        raise RuntimeError(f"signing in with the code: {status}: {data[:300]!r}")
    return browser


def _baseline(url: str, session_key: str, unit_ids: list[int], order_ids: list[int]) -> dict:
    """Each page's rows in bare SQL, BENCH_REQUESTS rounds as over HTTP: the session, the account's customers,
    then what the page lists."""
    import psycopg

    def account(db) -> list[int]:
        db.execute("SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > now()",
                   [session_key]).fetchone()
        return [row[0] for row in db.execute(
            "SELECT id, kind, first_name, last_name, company_name, mobile FROM customers_customer "
            "WHERE (mobile = %s OR id IN (SELECT customer_id FROM customers_customerphone WHERE number = %s "
            "AND kind = 'mobile')) AND merged_into_id IS NULL", [MOBILE, MOBILE])]

    def facts(db, units: list[int]) -> list:
        return db.execute(
            "SELECT 'c', unit_id, status, policy_version_id, purchase_date, installation_date FROM warranty_warrantycard "
            "WHERE unit_id = ANY(%(u)s) AND status <> 'cancelled' "
            "UNION ALL SELECT 'v', unit_id, reason, component_type_id, voided_on, NULL FROM warranty_warrantyvoid "
            "WHERE unit_id = ANY(%(u)s) "
            "UNION ALL SELECT 'p', unit_id, serial, component_type_id, fitted_on, NULL FROM catalog_unitcomponent "
            "WHERE unit_id = ANY(%(u)s) AND removed_on IS NULL", {"u": units}).fetchall()

    def units(db, customers) -> list:
        rows = db.execute("SELECT u.id, u.serial, u.product_model_id, u.production_date, u.sale_date, m.name, b.name "
                          "FROM catalog_productunit u JOIN catalog_productmodel m ON m.id = u.product_model_id "
                          "JOIN catalog_brand b ON b.id = u.brand_id WHERE u.owner_id = ANY(%s) ORDER BY u.id DESC",
                          [customers]).fetchall()
        facts(db, [row[0] for row in rows])
        return rows

    orders_sql = ("SELECT o.id, o.number, o.serial, o.received_at, o.promised_on, o.estimate_status, o.kind, "
                  "o.description, o.is_warranty, o.invoiced_amount, s.code, s.name, s.public_name, s.is_final, "
                  "c.name, m.name FROM repairs_repairorder o JOIN workflow_state s ON s.id = o.state_id "
                  "JOIN organization_servicecenter c ON c.id = o.center_id "
                  "LEFT JOIN catalog_productmodel m ON m.id = o.product_model_id ")

    def surveys(db, customers) -> list:
        return db.execute("SELECT id, token, ref FROM feedback_survey WHERE customer_id = ANY(%s) AND answered_at IS NULL "
                          "AND expires_at > now() ORDER BY created_at DESC", [customers]).fetchall()

    def home(db, _turn):
        customers = account(db)
        units(db, customers)
        db.execute(orders_sql + "WHERE o.customer_id = ANY(%s) ORDER BY o.received_at DESC LIMIT 50", [customers]).fetchall()
        surveys(db, customers)

    def unit_list(db, _turn):
        units(db, account(db))

    def unit(db, turn):
        customers, pk = account(db), unit_ids[turn % len(unit_ids)]
        db.execute("SELECT u.*, m.name, b.name FROM catalog_productunit u JOIN catalog_productmodel m "
                   "ON m.id = u.product_model_id JOIN catalog_brand b ON b.id = u.brand_id "
                   "WHERE u.id = %s AND u.owner_id = ANY(%s)", [pk, customers]).fetchone()
        facts(db, [pk])
        db.execute("SELECT number, status FROM warranty_warrantycard WHERE unit_id = %s AND status <> 'cancelled' "
                   "ORDER BY id LIMIT 1", [pk]).fetchone()
        db.execute("SELECT sequence, due_on, is_free, price, done_on FROM warranty_periodicservice WHERE unit_id = %s "
                   "ORDER BY sequence", [pk]).fetchall()
        orders = [row[0] for row in db.execute(
            orders_sql + "WHERE o.customer_id = ANY(%s) AND o.unit_id = %s ORDER BY o.received_at DESC", [customers, pk])]
        db.execute("SELECT op.order_id, si.title FROM repairs_operation op JOIN catalog_serviceitem si "
                   "ON si.id = op.service_item_id WHERE op.order_id = ANY(%s)", [orders]).fetchall()
        db.execute("SELECT pl.order_id, sp.name FROM repairs_partline pl JOIN catalog_sparepart sp ON sp.id = pl.spare_part_id "
                   "WHERE pl.order_id = ANY(%s) AND pl.status = 'issued'", [orders]).fetchall()

    def repair_list(db, _turn):
        # The first page of my repairs: 20 orders, the open ones first (the page's count of all for its pager).
        customers = account(db)
        db.execute("SELECT COUNT(*) FROM repairs_repairorder WHERE customer_id = ANY(%s)", [customers]).fetchone()
        db.execute(orders_sql + "WHERE o.customer_id = ANY(%s) ORDER BY s.is_final, o.received_at DESC, o.id DESC "
                   "LIMIT 20", [customers]).fetchall()

    def repair(db, turn):
        customers, pk = account(db), order_ids[turn % len(order_ids)]
        db.execute(orders_sql.replace("SELECT o.id,", "SELECT o.*, o.id,") + "WHERE o.id = %s AND o.customer_id = ANY(%s)",
                   [pk, customers]).fetchone()
        db.execute("SELECT l.at, t.name, t.public_name FROM workflow_transitionlog l JOIN workflow_state t "
                   "ON t.id = l.target_id WHERE l.content_type_id = (SELECT id FROM django_content_type "
                   "WHERE app_label = 'repairs' AND model = 'repairorder') AND l.object_id = %s ORDER BY l.at", [pk]).fetchall()
        db.execute("SELECT kind, description, quantity, unit_price, amount FROM repairs_estimateline WHERE order_id = %s",
                   [pk]).fetchall()
        invoices = [row[0] for row in db.execute(
            "SELECT DISTINCT i.id, i.number, i.total, i.issued_at FROM billing_invoice i JOIN billing_invoiceline l "
            "ON l.invoice_id = i.id WHERE i.customer_id = ANY(%s) AND l.order_id = %s ORDER BY i.issued_at",
            [customers, pk])]
        db.execute("SELECT invoice_id, amount, method, paid_at FROM billing_payment WHERE invoice_id = ANY(%s)",
                   [invoices]).fetchall()
        db.execute("SELECT credit_of_id, total FROM billing_invoice WHERE credit_of_id = ANY(%s)", [invoices]).fetchall()
        surveys(db, customers)

    reads = {"home": home, "units": unit_list, "unit": unit, "repairs": repair_list, "repair": repair}
    timings = {name: [] for name in PAGES}
    with psycopg.connect(url, autocommit=True) as db:
        for turn in range(ROUNDS):
            for name in PAGES:
                started = time.perf_counter()
                reads[name](db, turn)
                timings[name].append(time.perf_counter() - started)
    return {name: serving.summary(values, sum(values)) for name, values in timings.items()}


def _paths(unit_ids: list[int], order_ids: list[int]) -> dict:
    return {"home": lambda _turn: "/portal/", "units": lambda _turn: "/portal/units/",
            "unit": lambda turn: f"/portal/units/{unit_ids[turn % len(unit_ids)]}/",
            "repairs": lambda _turn: "/portal/repairs/",
            "repair": lambda turn: f"/portal/repairs/{order_ids[turn % len(order_ids)]}/"}


def _timed_pages(browser: _Browser, paths: dict) -> dict:
    timings = {name: [] for name in PAGES}
    for turn in range(ROUNDS):
        for name in PAGES:
            path = paths[name](turn)
            started = time.perf_counter()
            browser.page(path)
            timings[name].append(time.perf_counter() - started)
    return {name: serving.summary(values, sum(values)) for name, values in timings.items()}


def _checks(browser: _Browser, customer) -> list:
    """What each page shows against the rows: units and their warranty states, orders open and finished,
    estimates waiting, a unit's history, an invoice's payments and what is owed, nobody else's serial."""
    from collections import Counter

    from aftersales.billing.models import Invoice
    from aftersales.catalog.models import ProductUnit
    from aftersales.repairs.models import RepairOrder
    from aftersales.warranty.status import unit_warranty_status
    from benchmarks.report import Check

    units = list(ProductUnit.objects.filter(owner=customer).select_related("product_model"))
    expected_states = Counter(str(unit_warranty_status(unit).product.state) for unit in units)
    orders = list(RepairOrder.objects.filter(customer=customer).select_related("state"))
    final = {order.state.code for order in orders if order.state.is_final}
    open_count = sum(1 for order in orders if not order.state.is_final)
    waiting = sum(1 for order in orders if not order.state.is_final and order.estimate_status == "pending")
    pages = {"home": browser.page("/portal/"), "units": browser.page("/portal/units/"),
             "repairs": browser.page("/portal/repairs/")}
    listed = re.findall(r'data-testid="portal-unit" data-state="(\w+)"', pages["units"])
    # My repairs, 20 a page: every page in turn, the open orders first.
    repair_pages = [pages["repairs"]] + [browser.page(f"/portal/repairs/?page={number}")
                                         for number in range(2, -(-len(orders) // 20) + 1)]
    shown = [code for page in repair_pages for code in re.findall(r'data-testid="portal-order" data-state="(\w+)"', page)]
    first = min(units, key=lambda unit: unit.serial)  # active, with a card, periodic services and a new compressor
    history = browser.page(f"/portal/units/{first.pk}/")
    unit_orders = sum(1 for order in orders if order.unit_id == first.pk)
    entries = history.count('data-testid="portal-history-entry"')
    estimates = pages["home"].count('data-testid="portal-estimate-waiting"')
    part_paid = next((invoice for invoice in Invoice.objects.filter(customer=customer).prefetch_related(
        "payments", "credit_notes", "lines") if invoice.paid and invoice.owed), None)
    repair = browser.page(f"/portal/repairs/{part_paid.lines.all()[0].order_id}/") if part_paid else ""
    everything = "".join([*pages.values(), history, repair])
    return [
        Check("my products lists the customer's 20 units in their warranty states",
              len(listed) == len(units) == OWN_UNITS and Counter(listed) == expected_states,
              f"{len(listed)} listed: {dict(Counter(listed))}; expected {dict(expected_states)}"),
        Check("my repairs pages the 100 orders, the open ones first",
              len(shown) == len(orders) == OWN_ORDERS and sum(1 for code in shown if code not in final) == open_count
              and all(code not in final for code in shown[:open_count]),
              f"{len(shown)} shown on {len(repair_pages)} pages, {sum(1 for code in shown if code not in final)} "
              f"open of {open_count}"),
        Check("the home page shows the open orders and the estimates waiting",
              estimates == waiting > 0 and pages["home"].count('data-testid="portal-order"') >= open_count,
              f"{estimates} estimates waiting of {waiting}"),
        Check("a product's page tells its warranty, card, periodic services and repair history",
              entries == unit_orders and 'data-testid="portal-card"' in history
              and 'data-testid="portal-next-visit"' in history and 'data-testid="portal-components"' in history,
              f"{entries} history entries of {unit_orders}"),
        Check("a repair's page shows its invoice, the payment and what is owed",
              part_paid is not None and f'data-owed="{part_paid.owed}"' in repair and 'data-testid="portal-owed"' in repair,
              f"invoice {part_paid.number}: owed {part_paid.owed:,}" if part_paid else "no invoice paid in part"),
        Check("no page shows another customer's unit", "BP-0" not in everything),
    ]


def run(url: str) -> list:
    import psycopg
    from django.conf import settings

    from aftersales.catalog.models import ProductUnit
    from aftersales.repairs.models import RepairOrder
    from benchmarks.report import Aim, Check

    people = _people()
    catalog = _catalog()
    _fill_network(url, catalog, people)
    customer = _fill_customer(catalog, people)["customer"]
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("ANALYZE")
    unit_ids = list(ProductUnit.objects.filter(owner=customer).order_by("pk").values_list("pk", flat=True))
    order_ids = list(RepairOrder.objects.filter(customer=customer).order_by("pk").values_list("pk", flat=True))
    with serving.gunicorn(url):
        browser = _sign_in(MOBILE)
        session_key = browser.cookies.get(settings.SESSION_COOKIE_NAME, "")
        paths = _paths(unit_ids, order_ids)
        for turn in range(max(20, len(order_ids) // 5)):  # warm the worker on this connection (templates, caches)
            for name in PAGES:
                browser.page(paths[name](turn))
        pages = _timed_pages(browser, paths)
        checks = _checks(browser, customer)
    base = _baseline(url, session_key, unit_ids, order_ids)
    labels = {"home": "/portal/ (home)", "units": "/portal/units/ (my products)",
              "unit": "/portal/units/<pk>/ (one product, the 20 in turn)", "repairs": "/portal/repairs/ (my repairs)",
              "repair": "/portal/repairs/<pk>/ (one repair, the 100 in turn)"}
    print(f"customer portal: one customer with {OWN_UNITS} units and {OWN_ORDERS} repair orders among {CUSTOMERS:,} "
          f"customers, {UNITS:,} units, {ORDERS:,} orders; gunicorn with {os.cpu_count()} workers × 4 threads; "
          f"{ROUNDS} rounds of the five pages, one request at a time")
    print(serving.header())
    for name in PAGES:
        print(serving.row(f"bare SQL: {labels[name]}", base[name]))
        print(serving.row(f"HTTP: {labels[name]}", pages[name]))
    return [
        *[Aim(f"portal page {labels[name]} p95", pages[name]["p95_ms"], 100, "ms", "lower", "issue 22") for name in PAGES],
        Check("the customer signed in with the texted code", bool(session_key)),
        *checks,
    ]
