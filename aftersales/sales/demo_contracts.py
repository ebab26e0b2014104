"""Demo data of the contracts part of sales, written through its services: an agency contract with quarterly
instalments, an annual supply contract, a project contract ending within the month, cheques in each state
and the responsible users' alarms due today.

The returned cheque is written by a seeder of its own (``seed_returned``, after the CRM's): its return
brings the drawer into the CRM, which the CRM's demo must find empty.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.customers.models import Customer

from .models import Cheque, Contract

RETURNED_SAYAD = "1405000000000004"


def _actors():
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["accountant", "center"])}
    accountant = users.get("accountant")
    if accountant is None:
        return None, None, None
    center = accountant.centers.order_by("code").first()
    return accountant, users.get("center") or accountant, center


def _party(name: str, mobile: str) -> Customer:
    customer = Customer.objects.filter(kind="legal", company_name=name).first()
    return customer or Customer.objects.create(kind="legal", company_name=name, mobile=mobile)


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    from .alarms import alarms_fire
    from .services_cheques import cheque_clear, cheque_deposit, cheque_receive
    from .services_contracts import contract_create, plan_split

    accountant, manager, center = _actors()
    if center is None or Contract.objects.filter(center=center).exists():
        return []
    today = timezone.localdate()
    agent = _party("بازرگانی لوازم خانگی نیک‌اندیش", "09121000401")
    supplier = _party("فروشگاه زنجیره‌ای آفتاب", "09121000402")
    builder = _party("شرکت ساختمانی آرمان‌سازه", "09121000403")
    start = today - datetime.timedelta(days=100)
    agency = contract_create(
        center=center, kind=Contract.Kind.AGENCY, title="قرارداد نمایندگی فروش استان البرز", customer=agent,
        start_date=start, end_date=start + datetime.timedelta(days=364), value=2_400_000_000, responsible=accountant,
        alarm_days_before=7, acting_user=manager,
        instalments=[{"due_date": start + datetime.timedelta(days=91 * quarter + (7 if quarter else 0)),
                      "amount": 600_000_000} for quarter in range(4)],
        note="تسویه هر فصل با چک صیادی")
    supply = contract_create(
        center=center, kind=Contract.Kind.SUPPLY, title="تأمین سالانه یخچال و لباسشویی", customer=supplier,
        start_date=today - datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=345),
        value=1_200_000_000, responsible=accountant, alarm_days_before=5, acting_user=manager,
        instalments=plan_split(value=1_200_000_000, count=12, first_due=today + datetime.timedelta(days=5)))
    project = contract_create(
        center=center, kind=Contract.Kind.PROJECT, title="تجهیز آشپزخانه‌های برج مسکونی ارغوان", customer=builder,
        start_date=today - datetime.timedelta(days=150), end_date=today + datetime.timedelta(days=20),
        value=900_000_000, responsible=manager, alarm_days_before=30, acting_user=manager,
        instalments=[{"due_date": today - datetime.timedelta(days=60), "amount": 450_000_000},
                     {"due_date": today + datetime.timedelta(days=15), "amount": 450_000_000}])
    agency_first, agency_second = list(agency.instalments.all())[:2]
    cleared = cheque_receive(center=center, customer=agent, sayad_number="1405000000000001", bank="ملت",
                             amount=600_000_000, due_date=agency_first.due_date, responsible=accountant,
                             instalment=agency_first, acting_user=accountant)
    cheque_deposit(cheque=cleared, acting_user=accountant)
    cheque_clear(cheque=cleared, acting_user=accountant)
    deposited = cheque_receive(center=center, customer=builder, sayad_number="1405000000000002", bank="صادرات",
                               amount=450_000_000, due_date=today - datetime.timedelta(days=2), responsible=manager,
                               instalment=project.instalments.first(), acting_user=accountant)
    cheque_deposit(cheque=deposited, acting_user=accountant)
    cheque_receive(center=center, customer=agent, sayad_number="1405000000000003", bank="تجارت",
                   amount=600_000_000, due_date=agency_second.due_date, responsible=accountant,
                   instalment=agency_second, acting_user=accountant)
    cheque_receive(center=center, customer=supplier, sayad_number=RETURNED_SAYAD, bank="ملی",
                   amount=100_000_000, due_date=today + datetime.timedelta(days=2), responsible=accountant,
                   contract=supply, instalment=supply.instalments.first(), acting_user=accountant)
    fired = alarms_fire(today=today)
    return [f"3 contracts ({agency.number}, {supply.number}, {project.number})", "4 cheques",
            f"{fired} alarms due today"]


def seed_returned(*, size: str, rng) -> str:
    """Return the supply contract's cheque (after the CRM's demo): the party's credit shows it."""
    from .services_cheques import cheque_return

    cheque = Cheque.objects.filter(sayad_number=RETURNED_SAYAD, state=Cheque.State.RECEIVED).first()
    accountant, _manager, _center = _actors()
    if cheque is None or accountant is None:
        return "nothing to return"
    cheque_return(cheque=cheque, reason="کسری موجودی حساب صادرکننده", acting_user=accountant)
    return "a returned cheque (the party's credit is cash only)"
