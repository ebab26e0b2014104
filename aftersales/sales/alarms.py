"""The alarms of contracts and cheques: the nightly pass, the returned cheque's alarm, and "seen" (F52).

An alarm is a row in the responsible user's cartable and a message through the messaging rules of the
``sales_alarm`` event. Its ``key`` names the occurrence (``instalment:12:due``), so it fires once however
often the pass runs: the pass selects only what has no alarm yet, inserts ignoring conflicts (two passes
at once) and has a worker announce what it wrote; the messages' own idempotency keys cover the rest.
"""

import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.core.jalali import format_date
from aftersales.core.persian import format_number

from .models import Alarm, Cheque, Contract, Instalment

#: The customer's columns its name is made of.
PARTY = ("kind", "first_name", "last_name", "company_name")
#: Rows written per INSERT and announced per batch.
BATCH = 2000


class DaysBefore(models.Func):
    """``date_field`` minus ``days_field`` days, as a date (both databases)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        date, days = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"({date[0]} - {days[0]})", [*date[1], *days[1]]

    def as_sqlite(self, compiler, connection, **extra):
        date, days = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"date({date[0]}, '-' || {days[0]} || ' days')", [*date[1], *days[1]]


def cheque_alarm_days() -> int:
    return settings.SALES_CHEQUE_ALARM_DAYS


def _texts():
    """The alarms' wording, in the product's language whatever the caller's."""
    return {
        Alarm.Kind.INSTALMENT_DUE: _("The instalment of %(amount)s rials of contract %(contract)s (%(party)s) "
                                     "falls due on %(date)s."),
        Alarm.Kind.CHEQUE_DUE: _("Cheque %(sayad)s of %(amount)s rials (%(party)s, %(bank)s) falls due on "
                                 "%(date)s."),
        Alarm.Kind.CONTRACT_ENDING: _("Contract %(contract)s (%(party)s) ends on %(date)s."),
        Alarm.Kind.CHEQUE_RETURNED: _("Cheque %(sayad)s of %(amount)s rials (%(party)s) was returned on %(date)s: "
                                      "%(reason)s"),
    }


def _alarm(kind: str, key: str, *, center_id, user_id, due_date, texts, contract_id=None, instalment_id=None,
           cheque_id=None, fired_at, **values) -> Alarm:
    values = {name: value if name not in ("amount",) else format_number(value) for name, value in values.items()}
    text = texts[kind] % {"date": format_date(due_date), **values}
    return Alarm(key=key, kind=kind, center_id=center_id, user_id=user_id, contract_id=contract_id,
                 instalment_id=instalment_id, cheque_id=cheque_id, due_date=due_date, text=text[:300],
                 fired_at=fired_at)


def _party_name(kind: str, first: str, last: str, company: str) -> str:
    return company if kind == "legal" else f"{first} {last}".strip()


def _fresh_statistics() -> None:
    """Let PostgreSQL's planner know how many alarms there are now.

    Each selection below is an anti-join on the alarms. Right after many were written (the first pass
    over a large book, the previous selection of this pass) the table's statistics still say "almost
    empty", and the planner scans the whole table once per open instalment: minutes instead of a
    fraction of a second. Sampling the table costs milliseconds.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Alarm._meta.db_table}")


def _candidates(today: datetime.date, fired_at, texts):
    """The alarms due by ``today`` that have not fired yet, unsaved, as a generator."""
    days = cheque_alarm_days()
    _fresh_statistics()
    instalments = (
        Instalment.objects.filter(paid__lt=F("amount"), contract__status=Contract.Status.ACTIVE)
        .alias(alarm_on=DaysBefore(F("due_date"), F("contract__alarm_days_before")))
        .filter(alarm_on__lte=today)
        .exclude(Exists(Alarm.objects.filter(instalment=OuterRef("pk"), kind=Alarm.Kind.INSTALMENT_DUE)))
        .values_list("pk", "due_date", "amount", "paid", "contract_id", "contract__center_id",
                     "contract__responsible_id", "contract__number", *(f"contract__customer__{name}" for name in PARTY))
        .order_by())
    for pk, due, amount, paid, contract_id, center_id, user_id, number, *party in instalments.iterator(
            chunk_size=BATCH):
        yield _alarm(Alarm.Kind.INSTALMENT_DUE, f"instalment:{pk}:due", center_id=center_id, user_id=user_id,
                     due_date=due, texts=texts, contract_id=contract_id, instalment_id=pk, fired_at=fired_at,
                     amount=amount - paid, contract=number, party=_party_name(*party))
    _fresh_statistics()
    cheques = (
        Cheque.objects.filter(state__in=(Cheque.State.RECEIVED, Cheque.State.DEPOSITED))
        .alias(alarm_on=DaysBefore(F("due_date"), Coalesce(F("contract__alarm_days_before"), Value(days))))
        .filter(alarm_on__lte=today)
        .exclude(Exists(Alarm.objects.filter(cheque=OuterRef("pk"), kind=Alarm.Kind.CHEQUE_DUE)))
        .values_list("pk", "due_date", "amount", "sayad_number", "bank", "contract_id", "center_id",
                     "responsible_id", *(f"customer__{name}" for name in PARTY))
        .order_by())
    for pk, due, amount, sayad, bank, contract_id, center_id, user_id, *party in cheques.iterator(chunk_size=BATCH):
        yield _alarm(Alarm.Kind.CHEQUE_DUE, f"cheque:{pk}:due", center_id=center_id, user_id=user_id, due_date=due,
                     texts=texts, contract_id=contract_id, cheque_id=pk, fired_at=fired_at, amount=amount,
                     sayad=sayad, bank=bank, party=_party_name(*party))
    _fresh_statistics()
    contracts = (
        Contract.objects.filter(status=Contract.Status.ACTIVE)
        .alias(alarm_on=DaysBefore(F("end_date"), F("alarm_days_before")))
        .filter(alarm_on__lte=today)
        .exclude(Exists(Alarm.objects.filter(contract=OuterRef("pk"), kind=Alarm.Kind.CONTRACT_ENDING)))
        .values_list("pk", "end_date", "number", "center_id", "responsible_id",
                     *(f"customer__{name}" for name in PARTY))
        .order_by())
    for pk, end, number, center_id, user_id, *party in contracts.iterator(chunk_size=BATCH):
        yield _alarm(Alarm.Kind.CONTRACT_ENDING, f"contract:{pk}:ending", center_id=center_id, user_id=user_id,
                     due_date=end, texts=texts, contract_id=pk, fired_at=fired_at, contract=number,
                     party=_party_name(*party))


def _write(batch: list[Alarm], fired_at) -> list[int]:
    """Insert a batch, ignoring alarms another pass wrote meanwhile; return the ids of those this pass wrote."""
    Alarm.objects.bulk_create(batch, ignore_conflicts=True)
    return list(Alarm.objects.filter(key__in=[alarm.key for alarm in batch], fired_at=fired_at)
                .values_list("pk", flat=True))


def alarms_fire(*, today: datetime.date | None = None) -> int:
    """The nightly pass: fire every instalment, cheque and contract-end alarm whose time has come and has
    not fired yet; announce the new ones through messaging. Return how many fired. Implements F52.

    An open instalment (paid less than its amount) of an active contract fires ``alarm_days_before``
    days before it falls due; an open cheque (received or deposited) its contract's days before, or
    ``SALES_CHEQUE_ALARM_DAYS`` (3) without a contract; an active contract the same days before it ends.
    """
    today = today or timezone.localdate()
    fired_at = timezone.now()
    count, batch = 0, []
    with translation.override(settings.LANGUAGE_CODE):
        texts = _texts()
        for alarm in _candidates(today, fired_at, texts):
            batch.append(alarm)
            if len(batch) >= BATCH:
                count += _flush(batch, fired_at)
                batch = []
        if batch:
            count += _flush(batch, fired_at)
    return count


def _flush(batch: list[Alarm], fired_at) -> int:
    """Write a batch; once it is committed, a worker announces it (a message per alarm is the slow part of
    the pass, so the pass itself stays a few bulk statements)."""
    from .tasks import alarms_announce

    with transaction.atomic():
        written = _write(batch, fired_at)
        if written:
            transaction.on_commit(lambda: alarms_announce.delay(written))
    return len(written)


def alarms_announce_ids(ids: list[int]) -> int:
    """Announce the alarms of ``ids`` (the task of a pass's batch); an alarm announced before is not sent
    again (the message's idempotency key is the alarm's)."""
    count = 0
    with transaction.atomic():
        for alarm in Alarm.objects.filter(pk__in=ids).select_related("user", "contract", "center"):
            alarm_announce(alarm)
            count += 1
    return count


def alarm_announce(alarm: Alarm) -> None:
    """Send an alarm to its user through the ``sales_alarm`` event's rules (SMS to the mobile, e-mail)."""
    from aftersales.messaging.services import event_announce

    user = alarm.user
    context = {"text": alarm.text, "due_date": format_date(alarm.due_date) if alarm.due_date else "",
               "contract": alarm.contract.number if alarm.contract_id else "",
               "user_name": user.get_full_name() or user.username}
    event_announce("sales_alarm", context=context, key=alarm.key, center=alarm.center,
                   recipients={"responsible": {"sms": getattr(user, "mobile", "") or "", "email": user.email or ""}},
                   ref=alarm.key)


def alarm_cheque_returned(*, cheque: Cheque) -> Alarm | None:
    """Fire the "cheque returned" alarm of a cheque now (once), for its responsible user. Implements F52."""
    with translation.override(settings.LANGUAGE_CODE):
        alarm = _alarm(Alarm.Kind.CHEQUE_RETURNED, f"cheque:{cheque.pk}:returned", center_id=cheque.center_id,
                       user_id=cheque.responsible_id, due_date=cheque.state_changed_on or timezone.localdate(),
                       texts=_texts(), contract_id=cheque.contract_id, cheque_id=cheque.pk, fired_at=timezone.now(),
                       sayad=cheque.sayad_number, amount=cheque.amount, party=cheque.customer.display_name,
                       reason=cheque.returned_reason)
        written = _write([alarm], alarm.fired_at)
    if not written:
        return None
    alarm = Alarm.objects.select_related("user", "contract", "center").get(pk=written[0])
    alarm_announce(alarm)
    return alarm


@transaction.atomic
def alarm_seen(*, alarm: Alarm, acting_user) -> Alarm:
    """Mark one of the user's alarms as seen; it leaves the cartable's panel (the alarms page keeps it)."""
    from django.core.exceptions import PermissionDenied

    if alarm.user_id != acting_user.pk:
        raise PermissionDenied(_("This alarm is someone else's."))
    if alarm.seen_at is None:
        alarm.seen_at = timezone.now()
        Alarm.objects.filter(pk=alarm.pk, seen_at__isnull=True).update(seen_at=alarm.seen_at)
    return alarm
