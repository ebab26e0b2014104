"""Demo data of the visits part of field marketing, written through its services: the demo visitor's stops of
yesterday checked in with their outcomes in the CRM's contact log; today's first two stops checked in (the second
far from its place, its outcome not yet written), the rest left for the phone.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import CheckIn, Tour, TourStop

NOTES = ["بازدید از فروشگاه؛ موجودی یخچال کم است و سفارش فصل بعد را می‌خواهند",
         "مدیر فروشگاه نبود؛ با فروشنده درباره‌ی طرح تخفیف صحبت شد",
         "نمونه‌ی کاتالوگ جدید تحویل شد؛ قرار شد لیست قیمت پیامک شود",
         "از خدمات پس از فروش راضی‌اند؛ دو دستگاه لباسشویی برای نمایشگاه خواستند"]
OUTCOMES = ["positive", "neutral", "positive", "negative"]


def seed_visits(*, size: str, rng) -> str:
    """Write this part's demo records; return a short line of what was written (empty when nothing)."""
    from .services_visits import check_in_record, visit_outcome_record

    visitor = get_user_model().objects.filter(username="visitor").first()
    if visitor is None or CheckIn.objects.filter(user=visitor).exists():
        return ""
    today = timezone.localdate()
    stops = list(TourStop.objects.filter(day__tour__marketer=visitor, day__tour__status=Tour.Status.PUBLISHED,
                                         day__date__gte=today - datetime.timedelta(days=1), day__date__lte=today)
                 .select_related("day", "place").order_by("day__date", "order", "pk"))
    count, today_count, outcomes = 0, 0, 0
    for index, stop in enumerate(stops):
        if stop.day.date == today:
            if today_count == 2:
                break  # the rest of today waits for the phone
            today_count += 1
        at = timezone.make_aware(datetime.datetime.combine(
            stop.day.date, stop.planned_arrival or datetime.time(9 + index % 8, 10 * (index % 5))))
        at = min(at, timezone.now())
        lat = lon = None
        if stop.place is not None and stop.place.has_position:
            # A few metres off, and one stop about a kilometre away (flagged far).
            shift = Decimal("0.0100") if stop.day.date == today and today_count == 2 else Decimal("0.0002")
            lat, lon = stop.place.latitude + shift, stop.place.longitude
        check_in_record(stop=stop, acting_user=visitor, at=at, latitude=lat, longitude=lon, accuracy_m=15,
                        submission_key=f"demo-check-in-{stop.pk}")
        if stop.day.date < today or today_count == 1:
            visit_outcome_record(stop=stop, acting_user=visitor, outcome=OUTCOMES[index % 4],
                                 notes=NOTES[index % 4], submission_key=f"demo-outcome-{stop.pk}")
            outcomes += 1
        count += 1
    if not count:
        return "the demo visitor has no published stops today or yesterday: skipped"
    far = CheckIn.objects.filter(user=visitor, is_far=True).count()
    return (f"{count} check-ins at the visitor's stops ({far} far from the place), "
            f"{outcomes} outcomes in the contact log")
