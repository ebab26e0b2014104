"""Demo data of the targets part of field marketing, written through the services: this Jalali month's plan
of the demo visitor's team, with sales, visits and new-customer targets for the visitor, a sales target for
the team's other staff and one for the whole team, so that the achievement shows figures at once.

The sales demo's dealers (their invoices and credit note dated today) are made the demo visitor's parties
through the CRM's services, so the visitor's sales target counts them; two visits are logged as contacts.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.core.jalali import month_start, next_month_start, to_jalali

PLAN_NAME = "برنامه فروش و بازدید ماه {month}"
DEALERS = ("فروشگاه لوازم خانگی پارس", "نمایندگی فروش آریا", "بازرگانی نور شرق")
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")


def _dealers_to(visitor, center, acting_user) -> list:
    """The sales demo's dealers as the visitor's parties (brought into the CRM, or handed to the visitor)."""
    from aftersales.crm.models import Party, PartyType
    from aftersales.crm.services import party_create, party_update
    from aftersales.customers.models import Customer

    dealer_type = PartyType.objects.filter(code="dealer").first()
    parties = []
    for name in DEALERS:
        customer = Customer.objects.filter(kind="legal", company_name=name, is_lead=False).first()
        if customer is None:
            continue
        party = Party.objects.filter(pk=customer.pk).first()
        if party is None and dealer_type is not None:
            party = party_create(customer=customer, party_type=dealer_type, center=center, acting_user=acting_user,
                                 marketer=visitor, rating="hot", activity="لوازم خانگی")
        elif party is not None and party.marketer_id != visitor.pk:
            party = party_update(party=party, marketer=visitor, acting_user=acting_user)
        if party is not None:
            parties.append(party)
    return parties


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    from aftersales.crm.services import contact_record
    from aftersales.marketing.models import Contact

    from .models import Target, TargetPlan
    from .services_targets import target_plan_create, team_members

    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["visitor", "marketing", "manager", "center"])}
    visitor = users.get("visitor")
    manager = users.get("marketing") or users.get("manager") or users.get("center")
    center = visitor.centers.order_by("code").first() if visitor else None
    if center is None or manager is None:
        return []
    today = timezone.localdate()
    start = month_start(today)
    end = next_month_start(today) - datetime.timedelta(days=1)
    name = PLAN_NAME.format(month=MONTHS[to_jalali(today).month - 1])
    if TargetPlan.objects.filter(center=center, name=name, start_date=start).exists():
        return []
    parties = _dealers_to(visitor, center, manager)
    for party in parties[:2]:
        contact_record(customer=party.customer, kind=Contact.Kind.VISIT, acting_user=visitor, outcome="positive",
                       notes="بازدید از فروشگاه و معرفی مدل‌های جدید یخچال")
    others = [user for user in team_members(center).exclude(pk=visitor.pk).order_by("username")
              if user.username in ("marketing", "manager", "center")][:2]
    targets = [
        {"metric": Target.Metric.SALES_AMOUNT, "marketer": visitor, "value": 8_000_000_000},
        {"metric": Target.Metric.VISITS, "marketer": visitor, "value": 40},
        {"metric": Target.Metric.NEW_CUSTOMERS, "marketer": visitor, "value": 6},
        {"metric": Target.Metric.SALES_AMOUNT, "value": 12_000_000_000},
        *({"metric": Target.Metric.SALES_AMOUNT, "marketer": user, "value": 1_500_000_000} for user in others),
    ]
    target_plan_create(name=name, center=center, start_date=start, end_date=end, targets=targets,
                       note="هدف‌گذاری ماهانه تیم فروش", acting_user=manager)
    return [f"this month's marketing plan with {len(targets)} targets",
            f"{len(parties)} dealers given to the demo visitor"]
