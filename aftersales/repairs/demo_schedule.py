"""Demo home visits (issue 13): this week's home-service calls at the demo logins' center, booked through
reception into the free slots of its home-service technicians — several today for the "technician"
login, so the schedule and the technician's phone list have a real day to show.

Only slots still to come are booked (reception refuses the past): a demo built late in the day has
fewer visits today and the rest of the week in full.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import ProductUnit

from .models import RepairOrder
from .schedule import day_slots, home_technicians, is_day_off
from .services import order_transition, reception_create

AREAS = ["نارمک", "پونک", "تهرانپارس", "سعادت‌آباد", "شهرک غرب", "پیروزی", "یوسف‌آباد", "جنت‌آباد", "ونک", "مجیدیه"]
STREETS = ["خیابان گلبرگ", "خیابان جشنواره", "بلوار فردوس", "خیابان دماوند", "کوچه بهار", "خیابان سمنگان",
           "بلوار مرزداران", "خیابان فرجام"]
COMPLAINTS = ["کولر گازی سرد نمی‌کند", "ماشین لباسشویی آب را تخلیه نمی‌کند", "یخچال برفک زیاد می‌زند",
              "ماشین ظرفشویی صدای غیرعادی دارد", "نصب و راه‌اندازی دستگاه نو", "یخچال آب نشت می‌کند"]


def _future_slots(day: datetime.date) -> list[datetime.datetime]:
    soon = timezone.now() + datetime.timedelta(minutes=10)
    return [start for start, _end in day_slots(day) if start > soon]


def seed_home_visits(*, size: str, rng) -> str:
    User = get_user_model()
    if RepairOrder.objects.filter(kind=RepairOrder.Kind.HOME, appointment_at__isnull=False).exists():
        return "already present"
    reception, technician = (User.objects.filter(username=name).first() for name in ("reception", "technician"))
    if reception is None or technician is None:
        return "no demo staff"
    center = reception.centers.order_by("code").first()
    people = home_technicians(center)
    if technician not in people:
        people.insert(0, technician)
    units = iter(ProductUnit.objects.filter(owner__isnull=False).exclude(owner__mobile="")
                 .select_related("owner", "product_model").order_by("-pk")[:200])
    today = timezone.localdate()
    plan = []  # (technician or None, start)
    for offset in range(7):
        day = today + datetime.timedelta(days=offset)
        if is_day_off(day):
            continue
        slots = _future_slots(day)
        for person in people:
            wanted = (4 if person == technician else 2) if offset == 0 else rng.choice([1, 2, 3])
            plan += [(person, start) for start in sorted(rng.sample(slots, k=min(wanted, len(slots))))]
        if slots:
            plan.append((None, rng.choice(slots)))  # booked, no technician chosen yet
    booked, left_out, on_the_way = 0, [], False
    for person, start in plan:
        unit = next(units, None)
        if unit is None:
            break
        try:
            with transaction.atomic():
                order = reception_create(
                    center=center, acting_user=reception, customer=unit.owner, unit=unit, kind=RepairOrder.Kind.HOME,
                    description=rng.choice(COMPLAINTS), appointment_at=start, assignee=person,
                    address=f"{rng.choice(AREAS)}، {rng.choice(STREETS)}، پلاک {rng.randrange(1, 200)}، واحد {rng.randrange(1, 12)}",
                )
                booked += 1
                if person == technician and timezone.localdate(start) == today and not on_the_way:
                    order_transition(order=order, code="start_diagnosis", acting_user=technician)  # the first call
                    on_the_way = True
        except ValidationError as error:
            left_out.append(" ".join(error.messages))
    today_count = sum(1 for person, start in plan if person == technician and timezone.localdate(start) == today)
    line = f"{booked} home visits this week ({today_count} today for «technician»)"
    return line + (f"; left out: {'; '.join(left_out[:3])}" if left_out else "")
