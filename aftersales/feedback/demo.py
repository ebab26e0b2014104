"""Demo complaints from every channel and answered satisfaction surveys across the centers."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from aftersales.organization.models import ServiceCenter

from .models import Complaint, Survey
from .services import complaint_receive

COMPLAINTS = [
    ("web", "delay", "تعمیر یخچالم بیش از دو هفته طول کشیده و کسی پاسخگو نیست.", "09121110001", ""),
    ("sms", "staff", "سرویس‌کار بدون هماهنگی آمد و زود رفت.", "09121110002", ""),
    ("email", "price", "هزینه تعویض قطعه بیشتر از برآورد اولیه شد.", "", "customer@example.ir"),
    ("web", "product", "پیشنهاد می‌کنم برای لباسشویی‌ها آموزش تصویری بگذارید.", "09121110003", ""),
    ("phone", "service", "از رسیدگی سریع مرکز تشکر کرد.", "09121110004", ""),
]


@transaction.atomic
def seed_feedback(*, size: str, rng) -> str:
    if Complaint.objects.exists():
        return "already present"
    for channel, category, text, mobile, email in COMPLAINTS:
        kind = "suggestion" if "پیشنهاد" in text else "praise" if "تشکر" in text else "complaint"
        complaint_receive(channel=channel, category=category, kind=kind, text=text, mobile=mobile, email=email,
                          name="مشتری نمونه")
    linked = _about_repair_orders()
    centers = list(ServiceCenter.objects.order_by("code")[:12])
    now = timezone.now()
    surveys = []
    for index in range(60 if size == "small" else 600):
        sent = now - datetime.timedelta(days=rng.randint(1, 90))
        answered = rng.random() < 0.7
        score = max(1, min(5, round(rng.gauss(4.1, 0.9))))
        surveys.append(Survey(
            token=secrets.token_urlsafe(12), mobile=f"0912{2000000 + index:07d}", center=rng.choice(centers),
            created_at=sent, expires_at=sent + datetime.timedelta(days=14),
            score=score if answered else None,
            recommend=max(0, min(10, score * 2 + rng.choice([-1, 0, 0, 1]))) if answered else None,
            answered_at=sent + datetime.timedelta(hours=rng.randint(1, 48)) if answered else None,
        ))
    Survey.objects.bulk_create(surveys)
    return f"{len(COMPLAINTS) + linked} complaints ({linked} about a repair order), {len(surveys)} surveys"


def _about_repair_orders() -> int:
    """Issue 13: a customer names their order's tracking code on the public form; the center manager files
    a phone complaint about another order (linked to its customer by the order)."""
    from django.contrib.auth import get_user_model

    from aftersales.organization.scoping import scope_queryset
    from aftersales.repairs.models import RepairOrder

    first = RepairOrder.objects.select_related("customer").order_by("received_at").first()
    if first is None:
        return 0
    complaint_receive(channel="web", category="delay", text="قرار بود دستگاهم تا پنج‌شنبه آماده شود و هنوز خبری نیست.",
                      mobile=first.customer.mobile or "09121110005", name=first.customer.known_name,
                      tracking_code=first.tracking_code)
    agent = get_user_model().objects.filter(username="center").first()
    second = agent and scope_queryset(RepairOrder.objects.select_related("customer"), agent).exclude(
        pk=first.pk).order_by("received_at").first()
    if second is not None:
        complaint_receive(channel="phone", category="price", kind="complaint", acting_user=agent, repair_order=second,
                          text="مشتری می‌گوید هزینهٔ اعلام‌شده با برآورد تلفنی فرق دارد.",
                          mobile=second.customer.mobile or "09121110006", name=second.customer.known_name)
        return 2
    return 1
