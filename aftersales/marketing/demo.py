"""A draft Yalda campaign to a customer group and a few logged calls."""

from django.db import transaction
from django.utils import timezone

from aftersales.customers.models import Customer, CustomerGroup
from aftersales.messaging.models import MessageTemplate

from .models import Campaign, Contact


@transaction.atomic
def seed_marketing(*, size: str, rng) -> str:
    if Campaign.objects.exists():
        return "already present"
    template, _created = MessageTemplate.objects.get_or_create(
        code="yalda", defaults={"name": "تبریک یلدا", "kind": "marketing",
                                "body": "{customer_name} عزیز، شب یلدا بر شما مبارک! سرویس دوره‌ای با ۱۵٪ تخفیف تا پایان آذر."})
    group = CustomerGroup.objects.order_by("pk").first()
    Campaign.objects.create(name="تبریک یلدا ۱۴۰۵", template=template, audience="group" if group else "all", group=group,
                            send_at=timezone.now())
    customers = list(Customer.objects.order_by("pk")[:10])
    for customer in customers:
        Contact.objects.create(customer=customer, kind=rng.choice(["call_in", "call_out", "visit"]),
                               notes="پیگیری وضعیت تعمیر و زمان تحویل")
    return f"1 campaign, {len(customers)} contacts"
