"""A draft Yalda campaign to a customer group and a few logged calls."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.customers.models import Customer, CustomerGroup
from aftersales.messaging.models import MessageTemplate

from .models import Campaign, Contact
from .services import campaign_create


@transaction.atomic
def seed_marketing(*, size: str, rng) -> str:
    if Campaign.objects.exists():
        return "already present"
    template, _created = MessageTemplate.objects.get_or_create(
        code="yalda", defaults={"name": "تبریک یلدا", "kind": "marketing",
                                "body": "{customer_name} عزیز، شب یلدا بر شما مبارک! سرویس دوره‌ای با ۱۵٪ تخفیف تا پایان آذر."})
    group = CustomerGroup.objects.order_by("pk").first()
    marketer = get_user_model().objects.filter(username="marketing").first()
    Campaign.objects.create(name="تبریک یلدا ۱۴۰۵", template=template, audience="group" if group else "all", group=group,
                            send_at=timezone.now(), created_by=marketer)
    # Issue 13: marketing writes a campaign's text itself, without a template.
    campaign_create(acting_user=marketer, name="یادآوری سرویس زمستانه", audience="group" if group else "all",
                    group=group, send_at=timezone.now(),
                    body="{customer_name} عزیز، پیش از سرمای زمستان سرویس دوره‌ای دستگاه خود را با ۱۰٪ تخفیف "
                         "رزرو کنید.\nلغو۱۱")
    customers = list(Customer.objects.order_by("pk")[:10])
    for customer in customers:
        Contact.objects.create(customer=customer, kind=rng.choice(["call_in", "call_out", "visit"]),
                               notes="پیگیری وضعیت تعمیر و زمان تحویل", logged_by=marketer)
    return f"2 campaigns (one with its own text), {len(customers)} contacts"
