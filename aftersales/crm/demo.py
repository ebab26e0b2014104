"""Demo data of the CRM: leads and customers on the marketing workflows, with two months of contacts.

About forty leads (shops, wholesalers, builders and people) and twenty of the demo's customers are
brought into the CRM on the demo visitor's center, assigned to the visitor and the marketing manager,
with a few more on the second center's visitor (so that a visitor sees their team's parties only).
Each party is taken along its type's workflow by logged contacts (calls and visits over the last 60
days, with outcomes, answers to the Q&A scripts and next steps) and by stage moves with comments;
some are lost with a reason, some won by an answer that moves the stage. Key dealers have appointment
plans with visits booked this week and next; a few parties have credit assessments (one with a
returned cheque); the visitor filed yesterday's report and the marketing manager commented on it;
the call-center login answers extension 201. A few leads share a mobile with another party, to merge;
the won leads are left for the user to convert into customers.

Everything is written by the CRM's services (``crm.services``), as the pages write it. The history is
then dated back like the reports' demo does: contacts carry their moment (``occurred_at``), and each
party's stage log, time in each stage, entry into its stage and due time are moved to the moments of
the contacts that moved it. Deterministic (seeded random); runs once.
"""

import datetime
import random
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from aftersales.core.validators import is_valid_legal_national_id
from aftersales.customers.models import Customer
from aftersales.organization.demo import _mobile, _national_code

from .models import Party, PartyType, PhoneExtension, Script, ScriptQuestion

#: Legal entities that may buy: (name, type code, field of activity).
COMPANIES = [
    ("فروشگاه لوازم خانگی نیک‌پارس", "dealer", "فروش لوازم خانگی"),
    ("فروشگاه برق و صوت آرمان", "dealer", "صوتی و تصویری"),
    ("پخش لوازم خانگی سپهر", "wholesaler", "پخش عمده لوازم خانگی"),
    ("بازرگانی امید شرق", "wholesaler", "واردات و پخش"),
    ("فروشگاه زنجیره‌ای خانه سبز", "dealer", "فروشگاه زنجیره‌ای"),
    ("گروه ساختمانی آسمان", "project", "انبوه‌سازی مسکونی"),
    ("شرکت انبوه‌سازان البرز", "project", "انبوه‌سازی مسکونی"),
    ("هتل پارسیان کوثر", "project", "هتلداری"),
    ("فروشگاه لوازم خانگی مهتاب", "dealer", "فروش لوازم خانگی"),
    ("تعاونی مصرف کارکنان فولاد", "wholesaler", "تعاونی مصرف"),
    ("شرکت بازرگانی پیشگامان تجارت", "wholesaler", "بازرگانی"),
    ("فروشگاه صوتی تصویری ستاره", "dealer", "صوتی و تصویری"),
    ("شرکت ساختمانی نوین‌سازه", "project", "ساخت مجتمع اداری"),
    ("فروشگاه الکتروخانه رضوی", "dealer", "فروش لوازم خانگی"),
    ("پخش سراسری آوا", "wholesaler", "پخش سراسری"),
    ("بیمارستان خصوصی مهر", "project", "درمانی"),
    ("فروشگاه لوازم خانگی بهار", "dealer", "فروش لوازم خانگی"),
    ("شرکت عمران و مسکن شمیران", "project", "انبوه‌سازی مسکونی"),
    ("فروشگاه اینترنتی دیجی‌خانه", "dealer", "فروش اینترنتی"),
    ("بنکداری برادران صالحی", "wholesaler", "بنکداری"),
    ("فروشگاه لوازم خانگی کیان", "dealer", "فروش لوازم خانگی"),
    ("گروه هتل‌های آریا", "project", "هتلداری"),
    ("شرکت خانه‌سازی پردیس", "project", "انبوه‌سازی مسکونی"),
    ("فروشگاه لوازم خانگی پرشین", "dealer", "فروش لوازم خانگی"),
]
#: People who may buy: (first name, last name, type code, field of activity).
PEOPLE = [
    ("محسن", "کاظمی", "dealer", "فروشنده لوازم خانگی در بازار"),
    ("نرگس", "طاهری", "end_customer", "خرید برای منزل"),
    ("حمید", "نوروزی", "end_customer", "خرید برای منزل"),
    ("الهام", "شریفی", "end_customer", "تجهیز آشپزخانه"),
    ("رضا", "قاسمی", "dealer", "تعمیر و فروش لوازم خانگی"),
    ("زهرا", "اکبری", "end_customer", "خرید جهیزیه"),
    ("سعید", "بهرامی", "wholesaler", "بنکدار لوازم خانگی"),
    ("مریم", "فرهادی", "end_customer", "خرید برای منزل"),
    ("امیر", "جلالی", "dealer", "فروشنده لوازم خانگی"),
    ("لیلا", "یزدانی", "end_customer", "تجهیز ویلا"),
    ("مهدی", "سلطانی", "project", "پیمانکار ساختمان"),
    ("فاطمه", "رحمانی", "end_customer", "خرید جهیزیه"),
    ("علی", "نجفی", "dealer", "فروشنده لوازم خانگی"),
    ("سارا", "امینی", "end_customer", "خرید برای منزل"),
    ("حسین", "پارسا", "wholesaler", "پخش منطقه‌ای"),
    ("مینا", "خسروی", "end_customer", "خرید برای منزل"),
]
#: Leads of the second center's visitor: another team's parties, which the demo visitor must not see.
OTHER_TEAM = [
    ("فروشگاه لوازم خانگی زاینده‌رود", "dealer", "فروش لوازم خانگی"),
    ("پخش کالای نقش جهان", "wholesaler", "پخش عمده"),
    ("شرکت ساختمانی سپاهان", "project", "انبوه‌سازی"),
    ("فروشگاه برق و صوت چهارباغ", "dealer", "صوتی و تصویری"),
]
SOURCES = ["exhibition", "call", "website", "referral", "visit"]

#: The stage each party is taken to: a path of (step code, how) along its workflow; "lose" ends lost.
SALES_PATHS = [
    [], [], ["analyse"], ["analyse"], ["analyse", "send_proforma"], ["analyse", "send_proforma"],
    ["analyse", "send_proforma", "negotiate"], ["analyse", "send_proforma", "negotiate"],
    ["analyse", "send_proforma", "negotiate", "win"], ["lose"], ["analyse", "lose"],
    ["analyse", "send_proforma", "negotiate", "lose"],
]
PROJECT_PATHS = [[], ["survey"], ["survey", "bid"], ["survey", "bid", "award"], ["survey", "bid", "award", "sign"],
                 ["survey", "lose"]]
LOST_REASONS = ["قیمت رقیب پایین‌تر بود و مشتری خرید از رقیب را ترجیح داد.",
                "فعلاً بودجهٔ خرید ندارد؛ شش ماه دیگر دوباره تماس بگیریم.",
                "شرایط پرداخت اقساطی ما را نپذیرفت.",
                "پروژه متوقف شد و خرید تجهیزات به سال بعد افتاد."]
STEP_NOTES = {
    "": ["معرفی شرکت و محصولات؛ کاتالوگ ارسال شد.", "اولین تماس؛ مشتری به محصولات جدید علاقه نشان داد.",
         "تماس معرفی؛ قرار شد با مدیر فروشگاه هماهنگ کند."],
    "analyse": ["بررسی نیاز: بیشتر یخچال و لباسشویی می‌فروشد.", "در بازدید از فروشگاه نیازها ثبت شد."],
    "negotiate": ["پیش‌فاکتور را دیده‌اند و برای تخفیف و شرایط پرداخت مذاکره می‌کنند.",
                  "جلسهٔ مذاکره دربارهٔ شرایط پرداخت چکی برگزار شد."],
    "survey": ["بازدید از محل پروژه انجام شد؛ تعداد واحدها و نوع دستگاه‌ها ثبت شد."],
    "bid": ["پیشنهاد قیمت برای تجهیز واحدها ارسال شد."],
    "award": ["کارفرما پیشنهاد ما را پذیرفت؛ پیش‌نویس قرارداد در حال تهیه است."],
    "sign": ["قرارداد تأمین تجهیزات امضا شد."],
    "follow": ["پیگیری تلفنی؛ هنوز تصمیم نگرفته‌اند.", "پیگیری پیش‌فاکتور؛ منتظر نظر مدیر مالی هستند.",
               "تماس گرفتیم پاسخ نداد.", "مشتری درباره زمان تحویل سؤال داشت؛ توضیح داده شد."],
}
NEXT_STEPS = ["تماس برای پیگیری پیش‌فاکتور", "ارسال کاتالوگ محصولات جدید", "بازدید حضوری از فروشگاه",
              "هماهنگی جلسه با مدیر خرید", "ارسال پیش‌فاکتور اصلاح‌شده", "تماس برای تعیین شرایط پرداخت"]
SCRIPTS = [
    ("اولین تماس با نماینده یا بنکدار", "اولین تماس", "first_contact", [
        ("از کجا با ما آشنا شدید؟", "choice", ["نمایشگاه", "معرفی همکاران", "وب‌سایت", "تبلیغات"], {}),
        ("در حال حاضر محصولات کدام برندها را می‌فروشید؟", "text", [], {}),
        ("مایل به دریافت کاتالوگ هستید؟", "yes_no", [], {}),
        ("ماهانه حدوداً چند دستگاه می‌فروشید؟", "number", [], {}),
    ]),
    ("بررسی نیاز مشتری", "بررسی نیاز", "needs_analysis", [
        ("کدام گروه کالا بیشتر فروش دارد؟", "choice", ["یخچال", "لباسشویی", "ظرفشویی", "تلویزیون", "کولر گازی"], {}),
        ("حجم خرید ماهانهٔ تقریبی (تعداد دستگاه)", "number", [], {}),
        ("انبار یا فضای نمایش دارید؟", "yes_no", [], {}),
        ("پیش‌فاکتور برایتان ارسال شود؟", "yes_no", [], {"بله": "send_proforma"}),
    ]),
    ("مذاکرهٔ قیمت و شرایط", "مذاکره", "negotiation", [
        ("مهم‌ترین مانع خرید چیست؟", "choice", ["قیمت", "شرایط پرداخت", "زمان تحویل", "خدمات پس از فروش"], {}),
        ("چه شرایط پرداختی می‌خواهید؟", "text", [], {}),
        ("تخفیف درخواستی (درصد)", "number", [], {}),
        ("قرارداد نمایندگی را امضا می‌کنید؟", "yes_no", [], {"بله": "win"}),
    ]),
]


def _legal_national_id(rng: random.Random) -> str:
    while True:
        body = f"{rng.randrange(10**9, 10**10):010d}"
        digits = [int(ch) for ch in body]
        remainder = sum((digits[i] + digits[9] + 2) * (29, 27, 23, 19, 17)[i % 5] for i in range(10)) % 11
        code = body + str(0 if remainder == 10 else remainder)
        if is_valid_legal_national_id(code):
            return code


def _at(day: datetime.date, rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """A moment of working hours on ``day`` in Tehran (a Friday moves to Saturday unless that is today or
    later: yesterday's visits stay yesterday's), never after now."""
    if day.weekday() == 4 and day + datetime.timedelta(days=1) < timezone.localdate():
        day += datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))) + datetime.timedelta(
        minutes=rng.randrange(0, 8 * 60))
    return min(moment, now - datetime.timedelta(minutes=rng.randrange(5, 60)))


class _Timeline:
    """The moments the demo's stage moves happened at, to date the workflow log back once all is written."""

    def __init__(self):
        self.content_type = ContentType.objects.get_for_model(Party)
        self.moments: dict[int, datetime.datetime] = {}  # TransitionLog pk -> moment
        self.created: dict[int, datetime.datetime] = {}  # party pk -> moment it entered the CRM

    def mark(self, party, moment):
        from aftersales.workflow.models import TransitionLog

        log = TransitionLog.objects.filter(content_type=self.content_type, object_id=party.pk).order_by("-pk").first()
        self.moments[log.pk] = moment

    def date_back(self) -> None:
        """Move the logged moves to their moments; each party's time in a stage, entry and due time follow."""
        from aftersales.workflow.models import TransitionLog

        for pk, moment in self.moments.items():
            TransitionLog.objects.filter(pk=pk).update(at=moment)
        for party_pk, moment in self.created.items():
            Party.objects.filter(pk=party_pk).update(created_at=moment)
        logs = TransitionLog.objects.filter(content_type=self.content_type, object_id__in=list(self.created))
        by_party: dict[int, list] = {}
        for log in logs.select_related("target").order_by("object_id", "at", "pk"):
            by_party.setdefault(log.object_id, []).append(log)
        for party_pk, rows in by_party.items():
            entered, state = None, None
            for log in rows:
                if log.source_id is not None and log.source_id != log.target_id and entered is not None:
                    TransitionLog.objects.filter(pk=log.pk).update(
                        seconds_in_source=max(0, int((log.at - entered).total_seconds())))
                if log.source_id != log.target_id or entered is None:
                    entered, state = log.at, log.target
            sla = datetime.timedelta(hours=state.sla_hours) if state.sla_hours else None
            Party.objects.filter(pk=party_pk).update(state_entered_at=entered, due_at=entered + sla if sla else None)


@transaction.atomic
def seed_crm(*, size: str, rng) -> str:
    from aftersales.organization.models import ServiceCenter
    from aftersales.regions.models import Region

    from . import services
    from .models import LeadSource

    if Party.objects.exists():
        return "already present"
    started = time.perf_counter()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["visitor", "marketing", "callcenter", "center", "accountant", "manager"])}
    visitor, marketing = users.get("visitor"), users.get("marketing")
    if visitor is None or marketing is None:
        return "no demo logins: skipped"
    center = visitor.centers.order_by("code").first()
    other_center = ServiceCenter.objects.exclude(pk=center.pk).order_by("code").first()
    other_visitor = (get_user_model().objects.filter(centers=other_center, groups__name="visitor").order_by("username")
                     .first() if other_center else None)
    types = {party_type.code: party_type for party_type in PartyType.objects.select_related("workflow")}
    sources = {source.code: source for source in LeadSource.objects.all()}
    city = Region.objects.filter(kind="city", name=center.city).first()
    today, now = timezone.localdate(), timezone.now()
    timeline = _Timeline()
    used_mobiles = set(Customer.objects.values_list("mobile", flat=True))
    used_codes = set(Customer.objects.exclude(national_code="").values_list("national_code", flat=True))

    def mobile():
        number = _mobile(rng)
        while number in used_mobiles:
            number = _mobile(rng)
        used_mobiles.add(number)
        return number

    def national_code():
        code = _national_code(rng)
        while code in used_codes:
            code = _national_code(rng)
        used_codes.add(code)
        return code

    scripts = _scripts(types, marketing)

    # Leads: legal entities and people, on the visitor's center, half of them the marketing manager's.
    parties, start_of = [], {}
    for index, (name, type_code, activity) in enumerate(COMPANIES):
        values = {"kind": "legal", "company_name": name, "mobile": mobile()}
        if index % 2 == 0:
            values["legal_national_id"] = _legal_national_id(rng)
        if index % 5 == 1:
            values["phone"] = f"021{rng.randrange(2 * 10**7, 9 * 10**7):08d}"
        parties.append((values, type_code, activity))
    for index, (first, last, type_code, activity) in enumerate(PEOPLE):
        values = {"kind": "person", "first_name": first, "last_name": last, "mobile": mobile()}
        if index % 3 != 2:
            values["national_code"] = national_code()
        parties.append((values, type_code, activity))
    # A few people typed twice (the same mobile): the duplicates list shows them for merging.
    for values, _type_code, _activity in (parties[3], parties[len(COMPANIES) + 1], parties[len(COMPANIES) + 4]):
        duplicate = dict(values)
        duplicate.pop("legal_national_id", None)
        duplicate.pop("national_code", None)
        duplicate.pop("phone", None)
        if duplicate["kind"] == "legal":
            duplicate["company_name"] = duplicate["company_name"].replace("بازرگانی ", "شرکت ")
        parties.append((duplicate, "end_customer" if duplicate["kind"] == "person" else "wholesaler", ""))
    made = []
    for index, (values, type_code, activity) in enumerate(parties):
        marketer = visitor if index % 2 == 0 else marketing
        party = services.lead_create(
            acting_user=marketer, party_type=types[type_code], center=center, marketer=marketer,
            rating=rng.choice(["hot", "warm", "warm", "cold"]), activity=activity, region=city,
            source=sources.get(SOURCES[index % len(SOURCES)]), score=rng.choice([None, 40, 55, 70, 85]), **values)
        made.append(party)
    leads = len(made)
    # Customers who bought before: brought into the CRM (companies as dealers, people as end customers).
    for customer in Customer.objects.filter(is_lead=False, party__isnull=True).order_by("pk")[:20]:
        marketer = visitor if customer.pk % 2 else marketing
        type_code = "dealer" if customer.kind == Customer.Kind.LEGAL else rng.choice(["end_customer", "end_customer",
                                                                                      "dealer"])
        made.append(services.party_create(customer=customer, party_type=types[type_code], center=center,
                                          acting_user=marketer, marketer=marketer, rating=rng.choice(["warm", "cold"]),
                                          activity="خرید لوازم خانگی", region=city))
    brought = len(made) - leads
    # The second center's team.
    if other_visitor is not None:
        for name, type_code, activity in OTHER_TEAM:
            made.append(services.lead_create(acting_user=other_visitor, party_type=types[type_code],
                                             center=other_center, marketer=other_visitor, kind="legal",
                                             company_name=name, mobile=mobile(), activity=activity,
                                             source=sources.get("exhibition")))

    # Each party's story: contacts over the last 60 days, taking it along its path.
    contacts = 0
    key_dealers, taken = [], Counter()
    for index, party in enumerate(made):
        marketer = party.marketer
        start = today - datetime.timedelta(days=rng.randrange(8, 60))
        workflow = "project" if party.party_type.code == "project" else "sales"
        paths = PROJECT_PATHS if workflow == "project" else SALES_PATHS
        path = paths[taken[workflow] % len(paths)]
        taken[workflow] += 1
        last_day = today - datetime.timedelta(days=1) if marketer == visitor and index % 4 == 0 else today
        days = sorted(rng.sample(range((start - today).days, (last_day - today).days + 1),
                                 k=min(len(path) + 2, (last_day - start).days + 1)))
        moments = sorted([_at(today + datetime.timedelta(days=offset), rng, now) for offset in days[:-1]]
                         + [_at(last_day, rng, now)])
        path = path[: max(0, len(moments) - 1)]
        timeline.created[party.pk] = moments[0] - datetime.timedelta(minutes=30)
        timeline.mark(party, timeline.created[party.pk])
        # The first contact, then one per step, then a follow-up with the next step.
        _contact(services, party, marketer, moments[0], "", rng, scripts, timeline)
        contacts += 1
        for step, moment in zip(path, moments[1:], strict=False):
            party = Party.objects.get(pk=party.pk)
            if step == "lose":
                _contact(services, party, marketer, moment, "follow", rng, scripts, timeline, outcome="negative")
                services.party_move(party=Party.objects.get(pk=party.pk), code="lose", acting_user=marketer,
                                    comment=rng.choice(LOST_REASONS))
                timeline.mark(party, moment + datetime.timedelta(minutes=2))
            else:
                _contact(services, party, marketer, moment, step, rng, scripts, timeline)
            contacts += 1
        party = Party.objects.select_related("state", "customer").get(pk=party.pk)
        if not party.state.is_final and len(moments) > len(path) + 1:
            due = today if index % 3 == 0 else today + datetime.timedelta(days=rng.randrange(1, 12))
            on_visit = last_day < today  # the visitor's day yesterday: visits with the stage's questions
            _contact(services, party, marketer, moments[-1], "follow", rng, scripts, timeline,
                     next_step=rng.choice(NEXT_STEPS), next_step_date=due, kind="visit" if on_visit else "",
                     answers_of=scripts.get(party.state.code) if on_visit else None)
            contacts += 1
        if party.party_type.code in ("dealer", "wholesaler") and party.state.code in ("proforma_sent", "negotiation",
                                                                                       "needs_analysis"):
            key_dealers.append(party)

    yesterday = today - datetime.timedelta(days=1)
    call_center = users.get("callcenter")
    if call_center is not None:  # the call center takes a customer's call about a dealer's order
        services.contact_record(customer=made[0].customer, kind="call_in", acting_user=call_center,
                                notes="تماس ورودی؛ پرسش دربارهٔ زمان ارسال سفارش.", outcome="neutral",
                                occurred_at=now - datetime.timedelta(hours=3))
        contacts += 1
        PhoneExtension.objects.get_or_create(user=call_center, defaults={"extension": "201"})

    appointments = _appointments(services, key_dealers[:4], visitor, marketing, today, now, rng)
    assessments = _credit(services, made, users, rng, today)
    report = services.daily_report_file(user=visitor, day=yesterday, acting_user=visitor,
                                        note="سه بازدید حضوری و چند تماس پیگیری؛ دو نماینده برای پیش‌فاکتور "
                                             "آماده‌اند. فردا پیگیری پرداخت فروشگاه نیک‌پارس.")
    type(report).objects.filter(pk=report.pk).update(
        filed_at=timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(18, 40))))
    services.daily_report_comment(report=report, acting_user=marketing,
                                  comment="گزارش خوبی بود. پیش‌فاکتورها را تا فردا ظهر بفرستید و نتیجه را ثبت کنید.")
    timeline.date_back()
    return (f"{leads} leads (3 typed twice), {brought} customers and {len(OTHER_TEAM) if other_visitor else 0} "
            f"parties of another team in the CRM, {contacts} contacts, "
            f"{len(scripts)} scripts, "
            f"{appointments} appointments, {assessments} credit assessments, a daily report "
            f"in {time.perf_counter() - started:.1f} s")


def _scripts(types, author) -> dict[str, Script]:
    """The Q&A scripts, by the code of the stage they are for, written by the marketing manager."""
    from .services import script_save

    stages = {state.code: state for state in types["dealer"].workflow.states.all()}
    found = {}
    for title, topic, stage_code, questions in SCRIPTS:
        found[stage_code] = script_save(acting_user=author, title=title, topic=topic, stage=stages.get(stage_code),
                                        questions=[{"text": text, "kind": kind, "choices": choices, "moves": moves,
                                                    "order": order}
                                                   for order, (text, kind, choices, moves) in enumerate(questions)])
    return found


def _answers(script: Script, rng, *, move: bool) -> list:
    """Answers to a script's questions, as an agent gives them; ``move`` answers the moving question yes."""
    answers = []
    for question in script.questions.all():
        if question.moves:
            answers.append((question, "بله" if move else "خیر"))
        elif question.kind == ScriptQuestion.Kind.CHOICE:
            answers.append((question, rng.choice(question.choices)))
        elif question.kind == ScriptQuestion.Kind.YES_NO:
            answers.append((question, rng.choice(["بله", "خیر"])))
        elif question.kind == ScriptQuestion.Kind.NUMBER:
            answers.append((question, str(rng.choice([5, 10, 15, 20, 40]))))
        else:
            answers.append((question, rng.choice(["اسنوا و ال‌جی", "سامسونگ", "بیشتر برندهای ایرانی",
                                                  "چک سه‌ماهه", "نقد و چک دوماهه"])))
    return answers


def _contact(services, party, marketer, moment, step, rng, scripts, timeline, *, outcome="", kind="",
             next_step="", next_step_date=None, answers_of=None):
    """Log a contact that takes ``step`` (a stage move, "" for none, "follow" for a follow-up)."""
    answers, move = [], ""
    if step == "send_proforma":  # the needs-analysis script's answer moves the stage
        answers = _answers(scripts["needs_analysis"], rng, move=True)
    elif step == "win":
        answers = _answers(scripts["negotiation"], rng, move=True)
    elif step == "" and party.party_type.workflow.code == "sales-pipeline":
        answers = _answers(scripts["first_contact"], rng, move=False)
    elif answers_of is not None:
        answers = _answers(answers_of, rng, move=False)
    elif step not in ("", "follow"):
        move = step
    notes = rng.choice(STEP_NOTES.get(step, STEP_NOTES["follow"]) if step != "send_proforma"
                       else ["بررسی نیاز تکمیل شد؛ پیش‌فاکتور درخواست کردند."])
    if step == "win":
        notes = "شرایط نهایی پذیرفته شد و قرارداد نمایندگی امضا شد."
    if not kind:
        kind = rng.choice(["visit", "call_out", "call_out", "call_in"]) if marketer.username == "visitor" else \
            rng.choice(["call_out", "call_out", "call_in", "visit"])
    if not outcome:
        outcome = "no_answer" if "پاسخ نداد" in notes else ("positive" if step not in ("", "follow")
                                                            else rng.choice(["positive", "neutral", "neutral"]))
    contact = services.contact_record(customer=party.customer, kind=kind, notes=notes, acting_user=marketer,
                                      outcome=outcome, answers=answers, move=move, occurred_at=moment,
                                      next_step=next_step, next_step_date=next_step_date,
                                      comment=notes if move or step in ("send_proforma", "win") else "")
    if move or step in ("send_proforma", "win"):
        timeline.mark(party, moment)
    return contact


def _appointments(services, dealers, visitor, marketing, today, now, rng) -> int:
    """Plans of two visits a month for the key dealers, visits booked this week and next, and one done."""
    from aftersales.core.jalali import month_start, next_month_start

    from .models import Appointment

    booked = 0
    start = month_start(today - datetime.timedelta(days=7))
    end = next_month_start(next_month_start(today)) - datetime.timedelta(days=1)
    for index, party in enumerate(dealers):
        plan = services.plan_create(party=party, kind="visit", count=4, start_date=start, end_date=end,
                                    acting_user=marketing, marketer=party.marketer)
        for days, hour in ((1 + index % 3, 10), (7 + index, 11)):
            day = today + datetime.timedelta(days=days)
            if day.weekday() == 4:
                day += datetime.timedelta(days=1)
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30 if index % 2 else 0)))
            services.appointment_book(party=party, at=at, acting_user=party.marketer or marketing, plan=plan,
                                      notes="بازدید دوره‌ای و بررسی موجودی فروشگاه")
            booked += 1
        if index == 0:  # a visit two days ago, done: booked, then logged against it
            appointment = services.appointment_book(party=party, at=now + datetime.timedelta(minutes=1),
                                                    acting_user=marketing, plan=plan)
            moment = _at(today - datetime.timedelta(days=2), rng, now)
            contact = services.contact_record(customer=party.customer, kind="visit", acting_user=party.marketer,
                                              notes="بازدید دوره‌ای؛ موجودی ویترین بررسی و سفارش جدید گرفته شد.",
                                              outcome="positive", appointment=appointment, occurred_at=moment)
            Appointment.objects.filter(pk=appointment.pk).update(at=moment)
            del contact
            booked += 1
    if dealers:  # the marketing manager's own call with the first dealer
        services.appointment_book(party=dealers[0], kind="call", acting_user=marketing, marketer=marketing,
                                  at=timezone.make_aware(datetime.datetime.combine(
                                      today + datetime.timedelta(days=2), datetime.time(15, 0))),
                                  notes="تماس برای شرایط پرداخت فصل بعد")
        booked += 1
    return booked


def _credit(services, made, users, rng, today) -> int:
    """Credit assessments of dealers and wholesalers: open, up to a limit, cash only after a returned cheque."""
    assessor = users.get("accountant") or users["marketing"]
    marketing = users["marketing"]
    traders = [party for party in made if party.party_type.code in ("dealer", "wholesaler")
               and party.center_id == made[0].center_id][:5]
    verdicts = [
        ("limited", 2_000_000_000, "سابقهٔ خرید منظم و چک‌های برگشتی ندارد؛ اعتبار تا سقف ۲۰۰ میلیون تومان."),
        ("open", None, "نمایندهٔ قدیمی با گردش مالی بالا؛ اعتبار باز."),
        ("limited", 800_000_000, "فروشگاه تازه‌تأسیس؛ اعتبار محدود تا ثبت سابقه."),
        ("cash_only", None, "یک چک برگشتی در سال گذشته؛ فقط فروش نقدی تا رفع سوءاثر."),
        ("limited", 1_500_000_000, "ضامن معتبر و سابقهٔ ده‌ساله در بازار."),
    ]
    count = 0
    for index, party in enumerate(traders):
        status, limit, verdict = verdicts[index % len(verdicts)]
        cheques = []
        if status == "cash_only":
            cheques = [{"sayad_number": "".join(str(rng.randrange(10)) for _ in range(16)), "bank": "بانک ملت",
                        "amount": 350_000_000, "returned_on": today - datetime.timedelta(days=200),
                        "reason": "کسری موجودی"}]
        services.credit_assess(party=party, status=status, limit=limit, verdict=verdict,
                               acting_user=assessor if index % 2 else marketing,
                               declared_turnover=rng.choice([5, 12, 30, 80]) * 1_000_000_000,
                               years_in_business=rng.randrange(2, 25), returned_cheques=cheques,
                               references="بانک ملت شعبهٔ مرکزی؛ دو تأمین‌کنندهٔ دیگر",
                               assessed_on=today - datetime.timedelta(days=rng.randrange(1, 40)))
        count += 1
    return count
