"""The CRM (issue 16) with BENCH_CRM_PARTIES parties (default 1,000,000 customers and leads, 30 % leads, each
with a mobile and a landline, a fifth with a second mobile) and BENCH_CRM_CONTACTS contact-log rows (default
10,000,000) in PostgreSQL, through the real HTTP stack (gunicorn, as bench_repairs).

Every party is on its type's shipped workflow (sales-pipeline or project-pipeline) in one of 20 teams with ten
marketers each. Team 1's «needs analysis» stage holds BENCH_CRM_STAGE parties (default 10,000): the kanban
column a visitor of team 1 pages through. One «hot» party has 2,000 contacts spread through the log (a
twentieth of them with a script's answers), 50 repair orders among BENCH_CRM_REPAIRS others (10 still
open), invoices and payments, open complaints, a credit assessment, an appointment plan in force and its
appointments. The contacts' summaries the services keep on the party (last contact) are set from the log.

The CRM fills its own database (the run's database name + ``_crm``, fresh unless ``BENCH_REUSE_DB=1``):
its million customers and the repair orders it writes around the services must not skew the other
benchmarks' data or their summaries.

Measured, p50/p95/p99 of BENCH_REQUESTS calls after a warm-up, each next to the same reads in bare SQL in
the same run: the contact-time panel of the hot party (page and API) as a call-center agent; the caller
lookup ``/api/crm/lookup/?phone=`` for random parties' phones in mixed forms (+98, 0098, Persian digits,
spaces and dashes, landlines with their area code); the kanban column of team 1's big stage as its
visitor, first page and a later (keyset) page.
"""

import contextlib
import os
import random
import re
import time

from benchmarks import serving

PARTIES = int(os.environ.get("BENCH_CRM_PARTIES", "1000000"))
CONTACTS = int(os.environ.get("BENCH_CRM_CONTACTS", "10000000"))
STAGE = int(os.environ.get("BENCH_CRM_STAGE", "10000"))
REPAIRS = int(os.environ.get("BENCH_CRM_REPAIRS", "300000"))
HOT_CONTACTS, HOT_REPAIRS, HOT_OPEN_REPAIRS = 2000, 50, 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "500"))
TEAMS, MARKETERS_PER_TEAM = 20, 10
CHECKED = min(50, REQUESTS)  # callers whose HTTP answer is compared with SQL
LEAD_SHARE = 0.3  # i % 10 < 3
FIRST_NAMES = ("علی", "محمد", "زهرا", "فاطمه", "حسین", "مریم", "رضا", "سارا", "مهدی", "نرگس")
LAST_NAMES = ("احمدی", "محمدی", "رضایی", "کریمی", "حسینی", "موسوی", "جعفری", "قاسمی", "صادقی", "نوری")
NOTES = ("قیمت‌ها را پرسید", "پیش‌فاکتور خواست", "نماینده تمایل به خرید دارد", "بعداً تماس بگیرید",
         "از خدمات پس از فروش راضی است", "موجودی انبار را پرسید", "درباره شرایط اعتباری صحبت شد", "پاسخ نداد")


# --- the database of its own -------------------------------------------------------------------------------

@contextlib.contextmanager
def _own_database(url: str):
    """Point this process's Django at ``<url>_crm`` (fresh unless BENCH_REUSE_DB=1, migrated) and back."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.run import _fresh_database

    crm_url = url + "_crm"
    _fresh_database(crm_url, reuse=os.environ.get("BENCH_REUSE_DB") == "1" and os.environ.get("BENCH_SMOKE") != "1")
    database = connections.settings["default"]  # the dict every connection of the alias reads its NAME from
    before = database["NAME"]
    connections.close_all()
    database["NAME"] = crm_url.rsplit("/", 1)[1]
    ContentType.objects.clear_cache()
    try:
        call_command("migrate", verbosity=0)
        yield crm_url
    finally:
        connections.close_all()
        database["NAME"] = before
        ContentType.objects.clear_cache()


# --- the fill ------------------------------------------------------------------------------------------------

def _reference() -> dict:
    """Teams, their marketers (visitors), a marketing manager, a call-center agent, a script and the stages."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from aftersales.crm.models import LeadSource, PartyType, Script, ScriptQuestion
    from aftersales.organization.models import CenterMembership, ServiceCenter, User
    from aftersales.organization.roles import sync_roles
    from aftersales.workflow.models import State

    sync_roles()
    teams = [ServiceCenter.objects.get_or_create(code=f"CRM{index:02d}", defaults={
        "name": f"تیم فروش {index:02d}", "province": "تهران", "city": "تهران"})[0] for index in range(1, TEAMS + 1)]
    marketers = list(User.objects.filter(username__startswith="bench-visitor-").order_by("username"))
    if len(marketers) < TEAMS * MARKETERS_PER_TEAM:
        password = make_password("bench")
        User.objects.bulk_create([User(username=f"bench-visitor-{i:03d}", password=password, first_name="ویزیتور",
                                       last_name=str(i)) for i in range(TEAMS * MARKETERS_PER_TEAM)],
                                 ignore_conflicts=True)
        marketers = list(User.objects.filter(username__startswith="bench-visitor-").order_by("username"))
        CenterMembership.objects.bulk_create([CenterMembership(user=user, center=teams[i // MARKETERS_PER_TEAM])
                                              for i, user in enumerate(marketers)], ignore_conflicts=True)
        Group.objects.get(name="visitor").user_set.add(*marketers)
    agent, created = User.objects.get_or_create(username="bench-agent", defaults={"first_name": "اپراتور"})
    if created:
        Group.objects.get(name="call_center_agent").user_set.add(agent)
    manager, created = User.objects.get_or_create(username="bench-marketing-manager", defaults={"first_name": "مدیر"})
    if created:
        Group.objects.get(name="marketing_manager").user_set.add(manager)
    script, _ = Script.objects.get_or_create(title="نیازسنجی نماینده", defaults={"topic": "نیازسنجی"})
    questions = list(script.questions.order_by("order"))
    if not questions:
        questions = [ScriptQuestion.objects.create(script=script, text=text, order=order) for order, text in
                     enumerate(("چند فروشگاه دارید؟", "کدام برندها را می‌فروشید؟"))]
    states = {(workflow, code): pk for workflow, code, pk in State.objects.filter(
        workflow__code__in=("sales-pipeline", "project-pipeline")).values_list("workflow__code", "code", "pk")}
    types = dict(PartyType.objects.values_list("code", "pk"))
    return {"teams": [t.pk for t in teams], "marketers": [m.pk for m in marketers], "agent": agent,
            "manager": manager, "visitor": marketers[0], "token": Token.objects.get_or_create(user=agent)[0].key,
            "questions": [(q.pk, q.text) for q in questions], "states": states, "types": types,
            "sources": list(LeadSource.objects.order_by("pk").values_list("pk", flat=True))}


def _insert(db, model, given: str, select: str, params: dict) -> int:
    """``INSERT INTO model (given + every other NOT NULL column at its default) SELECT …``; rows written."""
    more, values = serving.defaults(model, given)
    extra = {f"d{index}": value for index, value in enumerate(values)}
    select = select.replace("{defaults}", "".join(f", %({key})s" for key in extra))
    return db.execute(f"INSERT INTO {model._meta.db_table} ({given}{more}) {select}", {**params, **extra}).rowcount


#: Party number i (1…PARTIES) is customer id first + i - 1; party 1 is the hot one. Its team (1-based):
#: the hot party and the big stage's block (2 … STAGE + 1) are team 1's, the others spread over teams 2…20.
TEAM_OF_I = "(CASE WHEN i <= %(stage)s + 1 THEN 1 ELSE 2 + i %% 19 END)"


#: A contact's kind, notes, time, logger, outcome and next step from its number j (unique, in the notes) and
#: ``m``, which picks among the choices: j itself, or for the hot party's (every step-th j) its own count,
#: so that its 2,000 are of every kind.
CONTACT_COLUMNS = f"""
    CASE WHEN m %% 10 < 3 THEN 'call_in' WHEN m %% 10 < 6 THEN 'call_out' WHEN m %% 10 < 9 THEN 'visit' ELSE 'note' END,
    (%(notes)s::text[])[1 + m %% 8] || ' (' || j || ')', now() - ((j * 104729) %% 94608000) * interval '1 second',
    (%(marketers)s::bigint[])[({TEAM_OF_I} - 1) * %(per_team)s + 1 + m %% %(per_team)s],
    (ARRAY['positive', 'neutral', 'negative', 'no_answer', ''])[1 + m %% 5],
    CASE WHEN m %% 6 = 0 THEN 'ارسال کاتالوگ' ELSE '' END, CASE WHEN m %% 6 = 0 THEN current_date + (m %% 20)::int END"""


def _fill(url: str, ref: dict) -> dict:
    """Customers, phones, parties, contacts, answers and the hot party's history, once (each step resumes)."""
    import psycopg

    from aftersales.crm.models import Answer, Party
    from aftersales.customers.models import Customer, CustomerPhone
    from aftersales.marketing.models import Contact

    states, types = ref["states"], ref["types"]
    sales = [states[("sales-pipeline", code)] for code in ("first_contact", "needs_analysis", "proforma_sent",
                                                           "negotiation", "won", "lost")]
    project = [states[("project-pipeline", code)] for code in ("first_contact", "site_survey", "tender", "contract",
                                                               "won", "lost")]
    common = {"stage": STAGE, "parties": PARTIES, "teams": ref["teams"], "marketers": ref["marketers"],
              "per_team": MARKETERS_PER_TEAM}
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SET synchronous_commit = off")
        filled = False
        have = db.execute("SELECT count(*) FROM crm_party").fetchone()[0]
        if have < PARTIES:
            filled = True
            print(f"(filling {PARTIES:,} customers and leads, their phones and parties…)", flush=True)
            with db.transaction():
                for table in ("crm_answer", "marketing_contact", "crm_party", "customers_customerphone"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM customers_customer WHERE mobile LIKE '0912%%'")
                display = ("CASE WHEN i %% 7 = 0 THEN 'شرکت بازرگانی ' || i ELSE (%(first)s::text[])[1 + i %% 10] "
                           "|| ' ' || (%(last)s::text[])[1 + (i / 10) %% 10] || ' ' || i END")
                phones = "'021' || lpad(i::text, 8, '0') || CASE WHEN i %% 5 = 0 THEN ' 0935' || lpad(i::text, 7, '0') ELSE '' END"
                _insert(db, Customer, "kind, first_name, last_name, company_name, national_code, legal_national_id, "
                        "economic_number, registration_number, mobile, email, notes, created_at, is_lead, "
                        "credit_status, search_text", f"""
                    SELECT CASE WHEN i %% 7 = 0 THEN 'legal' ELSE 'person' END,
                           CASE WHEN i %% 7 = 0 THEN '' ELSE (%(first)s::text[])[1 + i %% 10] END,
                           CASE WHEN i %% 7 = 0 THEN '' ELSE (%(last)s::text[])[1 + (i / 10) %% 10] || ' ' || i END,
                           CASE WHEN i %% 7 = 0 THEN 'شرکت بازرگانی ' || i ELSE '' END, '', '', '', '',
                           '0912' || lpad(i::text, 7, '0'), '', '', now() - (i %% 2000) * interval '1 day',
                           i > 1 AND i %% 10 < 3, CASE WHEN i = 1 THEN 'limited' ELSE '' END,
                           k || ' ' || replace(k, ' ', '') {{defaults}}
                    FROM (SELECT i, {display} || ' 0912' || lpad(i::text, 7, '0') || ' ' || {phones} AS k
                          FROM generate_series(1, %(parties)s::bigint) AS i) AS s""",
                        {**common, "first": list(FIRST_NAMES), "last": list(LAST_NAMES)})
                first, last = db.execute("SELECT min(id), max(id) FROM customers_customer WHERE mobile LIKE '0912%%'").fetchone()
                if last - first + 1 != PARTIES:
                    raise RuntimeError("the benchmark's customers must have consecutive ids")
                db.execute("UPDATE customers_customer SET credit_limit = 5000000000, credit_assessed_on = current_date - 20 "
                           "WHERE id = %s", [first])
                given = "customer_id, kind, number, label"
                _insert(db, CustomerPhone, given, """
                    SELECT %(first)s + i - 1, 'landline', '021' || lpad(i::text, 8, '0'), 'دفتر' {defaults}
                    FROM generate_series(1, %(parties)s::bigint) AS i""", {**common, "first": first})
                _insert(db, CustomerPhone, given, """
                    SELECT %(first)s + i - 1, 'mobile', '0935' || lpad(i::text, 7, '0'), '' {defaults}
                    FROM generate_series(5, %(parties)s::bigint, 5) AS i""", {**common, "first": first})
                # 85 % on the sales pipeline (dealer, wholesaler, end customer), 15 % project buyers; the
                # big stage's block all on «needs analysis»; entered up to ~1,000 days ago, in no order.
                _insert(db, Party, "customer_id, center_id, marketer_id, party_type_id, rating, score, status, "
                        "activity, source_id, state_id, version, state_entered_at, due_at, next_step, next_step_date, "
                        "created_at", f"""
                    SELECT %(first)s + i - 1, (%(teams)s::bigint[])[t],
                           (%(marketers)s::bigint[])[(t - 1) * %(per_team)s + 1 + i %% %(per_team)s],
                           CASE WHEN project THEN %(project_type)s ELSE (%(sales_types)s::bigint[])[1 + i %% 3] END,
                           (ARRAY['hot', 'warm', 'cold'])[1 + i %% 3], NULL,
                           CASE WHEN i %% 50 = 0 THEN 'on_hold' ELSE 'active' END, 'لوازم خانگی',
                           (%(sources)s::bigint[])[1 + i %% 5],
                           CASE WHEN i = 1 THEN %(negotiation)s WHEN i <= %(stage)s + 1 THEN %(needs)s
                                WHEN project THEN (%(project)s::bigint[])[1 + (i / 7) %% 6]
                                ELSE (%(sales)s::bigint[])[1 + (i / 7) %% 6] END,
                           3, now() - ((i * 7919) %% 86400000) * interval '1 second', NULL,
                           CASE WHEN i %% 4 = 0 THEN 'تماس پیگیری' ELSE '' END,
                           CASE WHEN i %% 4 = 0 THEN current_date + (i %% 30 - 10)::int END,
                           now() - (i %% 2000) * interval '1 day' {{defaults}}
                    FROM (SELECT i, {TEAM_OF_I} AS t, i > %(stage)s + 1 AND i %% 20 >= 17 AS project
                          FROM generate_series(1, %(parties)s::bigint) AS i) AS s""",
                        {**common, "first": first, "project_type": types["project"],
                         "sales_types": [types["dealer"], types["wholesaler"], types["end_customer"]],
                         "sources": ref["sources"], "negotiation": sales[3], "needs": sales[1], "project": project,
                         "sales": sales})
            print(f"(customers, phones and parties in {time.perf_counter() - started:.0f} s)", flush=True)
        first = db.execute("SELECT min(id) FROM customers_customer WHERE mobile LIKE '0912%%'").fetchone()[0]
        have = db.execute("SELECT count(*) FROM marketing_contact").fetchone()[0]
        if have < CONTACTS:
            filled = True
            # Contact j: every (CONTACTS / 2,000)th is the hot party's; the others fall on party 2…N in no
            # order; logged by a marketer of the party's team; over the last three years.
            step, chunk = CONTACTS // HOT_CONTACTS, 1_000_000
            for low in range(have + 1, CONTACTS + 1, chunk):
                high = min(low + chunk - 1, CONTACTS)
                _insert(db, Contact, "customer_id, kind, notes, occurred_at, logged_by_id, outcome, next_step, "
                        "next_step_date", f"""
                    SELECT %(first)s + i - 1, {CONTACT_COLUMNS} {{defaults}}
                    FROM (SELECT j, CASE WHEN hot THEN 1 ELSE 2 + (j * 7919) %% (%(parties)s - 1) END AS i,
                                 CASE WHEN hot THEN j / %(step)s ELSE j END AS m
                          FROM (SELECT j, j %% %(step)s = 0 AND j / %(step)s <= %(hot)s AS hot
                                FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS j) AS g) AS s""",
                        {**common, "first": first, "notes": list(NOTES), "step": step, "hot": HOT_CONTACTS,
                         "low": low, "high": high})
                print(f"(contacts {high:,} of {CONTACTS:,}, {time.perf_counter() - started:.0f} s)", flush=True)
        if not db.execute("SELECT 1 FROM crm_answer LIMIT 1").fetchone():
            filled = True
            first_question, second_question = ref["questions"]
            for (question, text), answer in ((first_question, "j %% 7 || ' فروشگاه'"),
                                             (second_question, "'برند ' || j %% 5")):
                _insert(db, Answer, "contact_id, question_id, question_text, answer", f"""
                    SELECT c.id, %(question)s, %(text)s, {answer} {{defaults}}
                    FROM (SELECT id, id AS j FROM marketing_contact WHERE id %% 20 = 0) AS c""",
                        {"question": question, "text": text})
            db.execute("""
                UPDATE crm_party p SET last_contact_at = c.last
                FROM (SELECT customer_id, max(occurred_at) AS last FROM marketing_contact GROUP BY 1) AS c
                WHERE c.customer_id = p.customer_id""")
            print(f"(answers and the parties' last contacts, {time.perf_counter() - started:.0f} s)", flush=True)
        if not db.execute("SELECT 1 FROM crm_appointmentplan WHERE party_id = %s", [first]).fetchone():
            _fill_hot(db, ref, first)
            filled = True
        if db.execute("SELECT count(*) FROM repairs_repairorder WHERE number LIKE 'CR-%%'").fetchone()[0] < REPAIRS + HOT_REPAIRS:
            _fill_repairs(db, ref, first)
            print(f"(repair orders, {time.perf_counter() - started:.0f} s)", flush=True)
            filled = True
        if filled:
            db.execute("VACUUM ANALYZE")
            print(f"(filled in {time.perf_counter() - started:.0f} s)", flush=True)
    return {"hot": first, "first": first}


def _fill_hot(db, ref: dict, hot: int) -> None:
    """The hot party's credit assessment, plan and appointments, invoices, payments and complaints."""
    from aftersales.billing.models import Invoice, Payment
    from aftersales.crm.models import Appointment, AppointmentPlan, CreditAssessment
    from aftersales.feedback.models import Complaint

    team, marketer = ref["teams"][0], ref["marketers"][0]
    db.execute("DELETE FROM billing_payment WHERE invoice_id IN (SELECT id FROM billing_invoice WHERE number LIKE 'CI-%%')")
    for table, where in (("billing_invoice", "number LIKE 'CI-%%'"), ("feedback_complaint", "number LIKE 'CC-%%'"),
                         ("crm_appointment", "party_id = %(hot)s"), ("crm_creditassessment", "party_id = %(hot)s")):
        db.execute(f"DELETE FROM {table} WHERE {where}", {"hot": hot})
    _insert(db, CreditAssessment, "party_id, assessed_on, declared_turnover, years_in_business, \"references\", verdict, "
            "status, \"limit\", assessed_by_id, created_at", """
        SELECT %(hot)s, current_date - 20, 90000000000, 12, '', 'خوش‌حساب، دو چک برگشتی قدیمی', 'limited',
               5000000000, %(manager)s, now() - interval '20 days' {defaults}""", {"hot": hot, "manager": ref["manager"].pk})
    _insert(db, AppointmentPlan, "party_id, kind, count, start_date, end_date, marketer_id, created_by_id", """
        SELECT %(hot)s, 'visit', 2, date_trunc('month', now())::date - 60, date_trunc('month', now())::date + 120,
               %(marketer)s, %(marketer)s {defaults}""", {"hot": hot, "marketer": marketer})
    _insert(db, Appointment, "party_id, plan_id, kind, at, marketer_id, status, notes", """
        SELECT %(hot)s, (SELECT max(id) FROM crm_appointmentplan WHERE party_id = %(hot)s), 'visit',
               now() + n * interval '9 days', %(marketer)s, CASE WHEN n < 0 THEN 'done' ELSE 'booked' END,
               'بازدید دوره‌ای' {defaults}
        FROM generate_series(-6, 3) AS n WHERE n <> 0""", {"hot": hot, "marketer": marketer})
    _insert(db, Invoice, "center_id, number, kind, customer_id, subtotal, discount, vat_percent, vat, total, note, "
            "issued_at, issued_by_id", """
        SELECT %(team)s, 'CI-' || n, 'service', %(hot)s, 4000000 * n, 0, 0, 0, 4000000 * n, '',
               now() - (40 - n) * interval '20 days', NULL {defaults}
        FROM generate_series(1, 12) AS n""", {"team": team, "hot": hot})
    _insert(db, Payment, "invoice_id, method, amount, reference, paid_at", """
        SELECT id, 'card', total, '', issued_at + interval '1 day' {defaults}
        FROM billing_invoice WHERE number LIKE 'CI-%%' AND substr(number, 4)::int <= 9""", {})
    _insert(db, Complaint, "number, kind, category, channel, status, customer_id, name, serial, center_id, subject, "
            "text, answer, created_at", """
        SELECT 'CC-' || n, 'complaint', 'service', 'phone', CASE WHEN n = 1 THEN 'closed' ELSE 'new' END, %(hot)s, '',
               '', %(team)s, 'تأخیر در تعمیر', 'یخچال هنوز تعمیر نشده', '', now() - n * interval '15 days' {defaults}
        FROM generate_series(1, 3) AS n""", {"team": team, "hot": hot})


def _fill_repairs(db, ref: dict, first: int) -> None:
    """REPAIRS repair orders spread over the parties (97 % delivered), and the hot party's 50 (10 open)."""
    from aftersales.repairs.models import RepairOrder
    from aftersales.workflow.models import State

    db.execute("DELETE FROM repairs_repairorder WHERE number LIKE 'CR-%%'")
    states = {state.code: state.pk for state in State.objects.filter(workflow__code="repair")}
    open_states = [states[code] for code in ("received", "diagnosing", "awaiting_parts", "repairing", "ready")]
    given = ("number, tracking_code, center_id, kind, customer_id, serial, accessories, condition, description, "
             "address, received_at, received_by_id, warranty_state, warranty_rule, is_warranty, "
             "warranty_override_reason, state_id, version, state_entered_at, due_at, assignee_id, estimate_status, "
             "handed_back_to")
    # Orders 1…50 are the hot party's: the first ten still open.
    _insert(db, RepairOrder, given, """
        SELECT 'CR-' || i, upper(substr(md5('crm' || i), 1, 13)), (%(teams)s::bigint[])[1 + i %% 20], 'in_center',
            CASE WHEN i <= %(hot_repairs)s THEN %(first)s ELSE %(first)s + 1 + (i * 7919) %% (%(parties)s - 1) END,
            'CRS' || i, '', '', 'سرد نمی‌کند', '', now() - ((i * 37) %% 900) * interval '1 day', %(reception)s,
            'active', '', i %% 3 = 0, '',
            CASE WHEN i <= %(hot_open)s OR (i > %(hot_repairs)s AND (i / 500) %% 100 < 3) THEN (%(open)s::bigint[])[1 + i %% 5]
                 ELSE %(delivered)s END, 3, now() - ((i * 37) %% 900) * interval '1 day',
            CASE WHEN i <= %(hot_open)s THEN now() + (i - 3) * interval '1 day' END,
            (%(marketers)s::bigint[])[1 + i %% 200], 'none', '' {defaults}
        FROM generate_series(1, %(orders)s::bigint) AS i""",
            {"teams": ref["teams"], "hot_repairs": HOT_REPAIRS, "hot_open": HOT_OPEN_REPAIRS, "first": first,
             "parties": PARTIES, "reception": ref["agent"].pk, "open": open_states, "delivered": states["delivered"],
             "marketers": ref["marketers"], "orders": REPAIRS + HOT_REPAIRS})


# --- bare SQL: the same reads, hand-written ------------------------------------------------------------------

#: The contact-time panel of a party, hand-written: identity, phones, party and stage, credit, the plan in
#: force with the visits done, the next appointments, the last visit and the last call, the last 10
#: contacts, open repairs with their states, the count of repairs, invoices and debt, open complaints.
PANEL_SQL = [
    """SELECT c.id, c.kind, c.first_name, c.last_name, c.company_name, c.mobile, c.is_lead, c.credit_status,
              c.credit_limit, c.credit_assessed_on, array(SELECT number FROM customers_customerphone WHERE customer_id = c.id)
       FROM customers_customer c WHERE c.id = %(pk)s""",
    """SELECT p.*, s.name, s.code, t.name, u.first_name, u.last_name, tm.name FROM crm_party p
       JOIN workflow_state s ON s.id = p.state_id JOIN crm_partytype t ON t.id = p.party_type_id
       LEFT JOIN organization_user u ON u.id = p.marketer_id JOIN organization_servicecenter tm ON tm.id = p.center_id
       WHERE p.customer_id = %(pk)s""",
    """SELECT tr.id, tr.code, tr.name, tr.target_id FROM workflow_transition tr JOIN crm_party p ON p.state_id = tr.source_id
       WHERE p.customer_id = %(pk)s ORDER BY tr."order" """,
    """SELECT pl.*, (SELECT count(*) FROM crm_appointment a WHERE a.plan_id = pl.id AND a.status = 'done')
       FROM crm_appointmentplan pl WHERE pl.party_id = %(pk)s AND pl.start_date <= current_date AND pl.end_date >= current_date
       ORDER BY pl.start_date DESC""",
    """SELECT * FROM crm_appointment WHERE party_id = %(pk)s AND status = 'booked' AND at >= now() ORDER BY at LIMIT 5""",
    """(SELECT c.*, u.first_name, u.last_name FROM marketing_contact c LEFT JOIN organization_user u ON u.id = c.logged_by_id
        WHERE c.customer_id = %(pk)s AND c.kind = 'visit' ORDER BY c.occurred_at DESC LIMIT 1)
       UNION ALL
       (SELECT c.*, u.first_name, u.last_name FROM marketing_contact c LEFT JOIN organization_user u ON u.id = c.logged_by_id
        WHERE c.customer_id = %(pk)s AND c.kind IN ('call_in', 'call_out') ORDER BY c.occurred_at DESC LIMIT 1)""",
    """SELECT c.*, u.first_name, u.last_name, (SELECT count(*) FROM crm_answer a WHERE a.contact_id = c.id)
       FROM marketing_contact c LEFT JOIN organization_user u ON u.id = c.logged_by_id
       WHERE c.customer_id = %(pk)s ORDER BY c.occurred_at DESC LIMIT 10""",
    """SELECT o.id, o.number, o.received_at, o.due_at, s.name, ce.name FROM repairs_repairorder o
       JOIN workflow_state s ON s.id = o.state_id JOIN organization_servicecenter ce ON ce.id = o.center_id
       WHERE o.customer_id = %(pk)s AND NOT s.is_final ORDER BY o.received_at DESC""",
    """SELECT count(*), max(received_at) FROM repairs_repairorder WHERE customer_id = %(pk)s""",
    """SELECT (SELECT row(i.number, i.total, i.issued_at) FROM billing_invoice i WHERE i.customer_id = %(pk)s
               AND i.kind <> 'credit' ORDER BY i.issued_at DESC LIMIT 1),
              (SELECT coalesce(sum(i.total), 0) FROM billing_invoice i WHERE i.customer_id = %(pk)s)
              - (SELECT coalesce(sum(p.amount), 0) FROM billing_payment p JOIN billing_invoice i ON i.id = p.invoice_id
                 WHERE i.customer_id = %(pk)s)""",
    """SELECT id, number, subject, status, created_at FROM feedback_complaint
       WHERE customer_id = %(pk)s AND status <> 'closed' ORDER BY created_at DESC""",
]

#: The caller lookup: the parties whose mobile or one of whose phones is the number, with stage and credit.
LOOKUP_SQL = """
SELECT c.id, c.first_name, c.last_name, c.company_name, c.is_lead, c.credit_status, c.mobile, s.name
FROM customers_customer c LEFT JOIN crm_party p ON p.customer_id = c.id LEFT JOIN workflow_state s ON s.id = p.state_id
WHERE c.merged_into_id IS NULL AND c.id IN (SELECT id FROM customers_customer WHERE mobile = %(phone)s
                                            UNION SELECT customer_id FROM customers_customerphone WHERE number = %(phone)s)
ORDER BY c.id LIMIT 20
"""

#: One page of a kanban column (longest in the stage first), for a user of one team: count and cards.
COLUMN_COUNT_SQL = "SELECT count(*) FROM crm_party WHERE state_id = %(state)s AND center_id = %(team)s"
COLUMN_SQL = """
SELECT p.customer_id, p.state_entered_at, p.rating, p.next_step, p.next_step_date, p.version, c.first_name,
       c.last_name, c.company_name, c.is_lead, t.name, u.first_name, u.last_name
FROM crm_party p JOIN customers_customer c ON c.id = p.customer_id JOIN crm_partytype t ON t.id = p.party_type_id
LEFT JOIN organization_user u ON u.id = p.marketer_id
WHERE p.state_id = %(state)s AND p.center_id = %(team)s AND (p.state_entered_at, p.customer_id) > (%(ts)s, %(after)s)
ORDER BY p.state_entered_at, p.customer_id LIMIT 25
"""


# --- measuring -----------------------------------------------------------------------------------------------

def _timed(calls, work) -> dict:
    """``serving.timed`` with the 99th percentile too (one warm-up call first, not counted)."""
    work(-1)
    timings = []
    for index in calls:
        started = time.perf_counter()
        work(index)
        timings.append(time.perf_counter() - started)
    figures = serving.summary(timings, sum(timings))
    figures["p99_ms"] = sorted(timings)[min(int(len(timings) * 0.99), len(timings) - 1)] * 1000
    return figures


def _row(label: str, figures: dict | None) -> str:
    if figures is None:
        return f"{label:<70}{'—':>9}{'—':>9}{'—':>9}"
    return f"{label:<70}{figures['p50_ms']:>9.2f}{figures['p95_ms']:>9.2f}{figures['p99_ms']:>9.2f}"


def _session_cookie(user) -> str:
    """A signed-in session of ``user``, as bench_repairs makes one; a user who must use a second factor
    (a role spanning every center) has an authenticator and the session has passed it, as after a login."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from benchmarks.bench_repairs import _session_cookie as signed_in

    cookie = signed_in(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True)
    session = SessionStore(session_key=cookie.split("=", 1)[1])
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _phone_forms(i: int) -> tuple[str, str]:
    """A phone of party i in one of the forms callers' numbers come in, and the number it stands for."""
    mobile, landline = f"0912{i:07d}", f"021{i:08d}"
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    forms = [(mobile, mobile), (f"+98 {mobile[1:4]} {mobile[4:7]} {mobile[7:]}", mobile),
             (f"0098{mobile[1:]}", mobile), (mobile.translate(persian), mobile),
             (f"021-{landline[3:7]} {landline[7:]}", landline), (f"+98{mobile[1:]}", mobile)]
    if i % 5 == 0:
        forms.append((f"0935 {i:07d}", f"0935{i:07d}"))
    return random.choice(forms)


def _get(link, path: str, headers: dict) -> bytes:
    link.request("GET", path, headers={**headers, "X-Forwarded-Proto": "https"})
    response = link.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}: {body[:300]!r}")
    return body


def _built(name: str, *args) -> str | None:
    """The path of a URL name, or None while that part of the CRM is not built yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _lookup_built() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/crm/lookup/")
        return True
    except Resolver404:
        return False


def run(url: str) -> list:
    with _own_database(url) as crm_url:
        return _run(crm_url)


def _run(url: str) -> list:
    import psycopg

    from benchmarks.report import Aim, Check

    ref = _reference()
    fill = _fill(url, ref)
    hot, first = fill["hot"], fill["first"]
    stage = ref["states"][("sales-pipeline", "needs_analysis")]
    visitor = ref["visitor"]
    rng = random.Random(16)
    callers = [rng.randint(2, PARTIES) for _ in range(REQUESTS)]
    phones = [_phone_forms(i) for i in callers]
    with psycopg.connect(url) as db:
        counts = db.execute("SELECT (SELECT count(*) FROM crm_party), (SELECT count(*) FROM customers_customer WHERE is_lead),"
                            " (SELECT count(*) FROM marketing_contact), (SELECT count(*) FROM marketing_contact WHERE "
                            "customer_id = %(hot)s), (SELECT count(*) FROM repairs_repairorder WHERE customer_id = %(hot)s), "
                            "(SELECT count(*) FROM repairs_repairorder), (SELECT count(*) FROM crm_answer)",
                            {"hot": hot}).fetchone()
        latest = db.execute("SELECT notes FROM marketing_contact WHERE customer_id = %s ORDER BY occurred_at DESC LIMIT 1",
                            [hot]).fetchone()[0]
        team = ref["teams"][0]
        column_count = db.execute(COLUMN_COUNT_SQL, {"state": stage, "team": team}).fetchone()[0]
        base_panel = _timed(range(REQUESTS), lambda i: [db.execute(sql, {"pk": hot}).fetchall() for sql in PANEL_SQL])
        base_lookup = _timed(range(REQUESTS), lambda i: db.execute(LOOKUP_SQL, {"phone": phones[i][1]}).fetchall())
        sql_lookup = [db.execute(LOOKUP_SQL, {"phone": number}).fetchall() for _form, number in phones[:CHECKED]]
        start = {"state": stage, "team": team, "ts": "-infinity", "after": 0}

        def column(page_from):
            db.execute(COLUMN_COUNT_SQL, page_from).fetchone()
            return db.execute(COLUMN_SQL, page_from).fetchall()

        first_page = column(start)
        # A later page: after the 40th page's last card (1,000 cards in), as "more" clicked 40 times.
        deep = db.execute("SELECT state_entered_at, customer_id FROM crm_party WHERE state_id = %(state)s AND "
                          "center_id = %(team)s ORDER BY state_entered_at, customer_id OFFSET %(n)s LIMIT 1",
                          {**start, "n": min(999, column_count - 1)}).fetchone()
        later = {**start, "ts": deep[0], "after": deep[1]}
        base_first = _timed(range(REQUESTS), lambda i: column(start))
        base_later = _timed(range(REQUESTS), lambda i: column(later))
        db.rollback()

    panel_path, api_panel_path = _built("crm:panel", hot), "/api/crm/panel/%d/" % hot
    column_path = _built("crm:board-column", "sales-pipeline", stage)
    agent_cookie, visitor_cookie = _session_cookie(ref["agent"]), _session_cookie(visitor)
    token = {"Authorization": f"Token {ref['token']}"}
    results, http = [], {}
    with serving.gunicorn(url):
        link = serving.connection()
        if panel_path:
            http["panel"] = _timed(range(REQUESTS), lambda i: _get(link, panel_path, {"Cookie": agent_cookie}))
            page = _get(link, panel_path, {"Cookie": agent_cookie}).decode()
            results.append(Check("the panel page shows the hot party's latest contact", latest in page, latest))
            try:
                http["api_panel"] = _timed(range(REQUESTS), lambda i: _get(link, api_panel_path, token))
            except RuntimeError as error:  # the API of the panel is optional
                print(f"(the panel's API: {error})")
        if _lookup_built():
            answers = {}

            def lookup(i):
                answers[i] = _get(link, "/api/crm/lookup/?phone=" + _quote(phones[i][0]), token)

            http["lookup"] = _timed(range(REQUESTS), lookup)
            results.append(_lookup_check([answers[i] for i in range(CHECKED)], sql_lookup, callers, first, phones))
        if column_path:
            visitor_headers = {"Cookie": visitor_cookie}
            http["column"] = _timed(range(REQUESTS), lambda i: _get(link, column_path, visitor_headers))
            page = _get(link, column_path, visitor_headers).decode()
            names = [row[6] or row[8] for row in first_page[:3]]
            results.append(Check("the column's first page shows the longest-waiting cards (as SQL)",
                                 all(name in page for name in names), ", ".join(names)))
            later_path = _later_page(link, column_path, visitor_headers, pages=40)
            if later_path:
                http["column_later"] = _timed(range(REQUESTS), lambda i: _get(link, later_path, visitor_headers))
            else:
                print("(the column's page has no link to a later page)")

    print(f"CRM: {counts[0]:,} parties ({counts[1]:,} leads), {counts[2]:,} contact-log rows, {counts[6]:,} answers, "
          f"{counts[5]:,} repair orders; the hot party: {counts[3]:,} contacts, {counts[4]} repairs; team 1's "
          f"«needs analysis» column: {column_count:,} parties; gunicorn with {os.cpu_count()} workers × 4 threads; "
          f"{REQUESTS} calls each")
    print(f"{'path':<70}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    not_built = ": not built yet"
    for label, figures in (
            (f"baseline: the panel's {len(PANEL_SQL)} queries in bare SQL", base_panel),
            ("contact-time panel page over HTTP (call-center agent)" + ("" if "panel" in http else not_built),
             http.get("panel")),
            ("contact-time panel API over HTTP" + ("" if "api_panel" in http else not_built), http.get("api_panel")),
            ("baseline: caller lookup in bare SQL (the number normalised)", base_lookup),
            ("caller lookup API over HTTP (mixed forms)" + ("" if "lookup" in http else not_built), http.get("lookup")),
            ("baseline: kanban column first page (count + 25 cards) in bare SQL", base_first),
            ("kanban column first page over HTTP (team 1's visitor)" + ("" if "column" in http else not_built),
             http.get("column")),
            ("baseline: kanban column page 41 (keyset) in bare SQL", base_later),
            ("kanban column page 41 over HTTP (keyset)" + ("" if "column_later" in http else not_built),
             http.get("column_later"))):
        print(_row(label, figures))
    for key, label, target in (("panel", "contact-time panel page p95 (2,000 contacts, 50 repairs)", 100),
                               ("api_panel", "contact-time panel API p95", 100),
                               ("lookup", "caller lookup by phone p95", 20),
                               ("column", f"kanban column of {column_count:,} parties, first page p95", 150),
                               ("column_later", "kanban column, a later page p95", 150)):
        if key in http:
            results.append(Aim(label, http[key]["p95_ms"], target, "ms", "lower", "issue 16"))
    results.append(Check("the fill: a hot party of 2,000 contacts and 50 repairs; a big stage",
                         counts[3] == HOT_CONTACTS and counts[4] == HOT_REPAIRS and column_count >= STAGE,
                         f"{counts[3]:,} contacts, {counts[4]} repairs, {column_count:,} in the column"))
    results.append(Check("bare SQL: every caller's number finds its party",
                         all(any(row[0] == first + i - 1 for row in rows) for rows, i in zip(sql_lookup, callers))))
    for name in ("panel", "lookup", "column"):
        if name not in http:
            results.append(Check(f"{name} over HTTP: skipped: not built yet", True))
    return results


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _lookup_check(answers: list, sql_rows: list, callers: list, first: int, phones: list):
    """The lookup over HTTP finds the party the number belongs to, as bare SQL does."""
    import json

    from benchmarks.report import Check

    wrong = []
    for body, rows, i, (form, _number) in zip(answers, sql_rows, callers, phones):
        data = json.loads(body)
        items = data.get("results", data) if isinstance(data, dict) else data
        ids = {item.get("id") or item.get("customer") or item.get("pk") for item in items}
        if first + i - 1 not in ids or len(ids) != len(rows):
            wrong.append(form)
    return Check("caller lookup over HTTP finds the caller's party, as SQL (mixed forms)", not wrong,
                 f"{len(answers) - len(wrong)}/{len(answers)} right" + (f"; wrong for {wrong[:3]}" if wrong else ""))


def _later_page(link, path: str, headers: dict, *, pages: int) -> str | None:
    """Follow the column's "more" link ``pages`` times; the path of the page reached, or None without one."""
    current = path
    for _ in range(pages):
        body = _get(link, current, headers).decode()
        found = re.search(r'(?:hx-get|href)="([^"]*(?:after|page)=[^"]*)"', body)
        if not found:
            return current if current != path else None
        current = found.group(1).replace("&amp;", "&")
        if not current.startswith("/"):
            current = path.split("?")[0] + current
    return current

