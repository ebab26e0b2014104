"""A demo customer to sign in to the portal as (issue 22): mobile ``DEMO_MOBILE``, whose code arrives in the
demo's phone (``var/messages/sms.jsonl``, the ``file`` SMS backend) once the worker sends it.

Everything through the services, at the demo logins' center: a fridge under warranty, a washer and a TV whose
warranties ran out, an air conditioner under warranty with a periodic service falling due, and a fridge whose
card is not activated yet; a finished repair of the washer, invoiced and paid in part, and an open repair of
the TV whose estimate waits for the customer's answer.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import ProductUnit
from aftersales.customers.models import Customer

#: The demo customer's mobile (no other demo customer's: their mobiles never start 0915).
DEMO_MOBILE = "09151234567"
DEMO_NAME = "نرگس رضایی"
STAFF = ["reception", "technician", "center", "warehouse", "accountant"]
# (model code, warranty, the unit's sale between these many days ago). The AC's warranty and its
# periodic services (every six months) run from its installation, ``AC_INSTALLED_DAYS_AGO``.
UNITS = [
    ("RF-520", "active", 60, 300),
    ("WM-8", "expired", 800, 1400),
    ("TV-55", "expired", 600, 1400),
    ("AC-18", "active", 200, 500),
    ("RF-340", "not_activated", 20, 200),
]
AC_INSTALLED_DAYS_AGO = 170
FINISHED = ["start_diagnosis", "@estimate", "ask_approval", "@approve", "approved_repair", "@operation",
            "to_quality_check", "quality_passed", "@hand_back"]
WAITING = ["start_diagnosis", "@estimate", "ask_approval"]


def _unit(code: str, sold_after: datetime.date, sold_before: datetime.date) -> ProductUnit | None:
    """A sold unit of the model with no owner, card or repair yet."""
    from aftersales.repairs.models import RepairOrder

    return (ProductUnit.objects.filter(product_model__code=code, owner__isnull=True, warranty_cards__isnull=True,
                                       sale_date__gte=sold_after, sale_date__lte=sold_before)
            .exclude(pk__in=RepairOrder.objects.filter(unit__isnull=False).values("unit_id"))
            .select_related("product_model__group", "owner").order_by("pk").first())


def _address(customer, center, manager) -> None:
    """The customer's home in the city of the demo logins' center, so a request for service finds that center."""
    from aftersales.core.persian import normalize_text
    from aftersales.customers.services import customer_address_add
    from aftersales.regions.models import Region

    city = Region.objects.filter(kind=Region.Kind.CITY, name=normalize_text(center.city)).order_by("code").first()
    if city is not None:
        customer_address_add(customer=customer, region=city, postal_code="1419963111", acting_user=manager,
                             address=f"{city.name}، خیابان کارگر شمالی، کوچه نسترن، پلاک ۸، واحد ۲")


@transaction.atomic
def _seed(users: dict, rng) -> str:
    from aftersales.billing.models import Payment
    from aftersales.billing.services import invoice_issue, payment_record
    from aftersales.catalog.models import FaultCode
    from aftersales.repairs.demo import _order
    from aftersales.stock.models import Warehouse
    from aftersales.warranty.services import (owner_for_mobile, unit_owner_transfer, warranty_card_activate,
                                              warranty_card_issue)

    today = timezone.localdate()
    center = users["reception"].centers.order_by("code").first()
    customer = owner_for_mobile(mobile=DEMO_MOBILE, name=DEMO_NAME, acting_user=users["reception"])
    _address(customer, center, users["reception"])
    units = {}
    for code, warranty, newest, oldest in UNITS:
        unit = _unit(code, today - datetime.timedelta(days=oldest), today - datetime.timedelta(days=newest))
        if unit is None:
            raise ValidationError(f"no sold unit of {code} free for the portal's demo customer")
        card = warranty_card_issue(unit=unit, acting_user=users["reception"])
        if warranty == "not_activated":  # the dealer named the buyer; the buyer has not activated the card yet
            unit_owner_transfer(unit=unit, new_owner=customer, acting_user=users["reception"],
                                reason="خریدار را فروشنده ثبت کرد")
        else:
            installed = today - datetime.timedelta(days=AC_INSTALLED_DAYS_AGO) if code == "AC-18" else None
            warranty_card_activate(number=card.number, purchase_date=unit.sale_date, installation_date=installed,
                                   channel="staff", acting_user=users["reception"], owner=customer)
        unit.refresh_from_db()
        units[code] = unit
    warehouse = Warehouse.objects.filter(center=center, is_active=True).order_by("pk").first()
    faults = list(FaultCode.objects.order_by("pk")[:10])
    common = {"customer": customer, "users": users, "center": center, "warehouse": warehouse, "rng": rng,
              "faults": faults}
    finished = _order(steps=FINISHED, unit=units["WM-8"], **common)
    invoice = invoice_issue(orders=[finished], acting_user=users["accountant"])
    payment_record(invoice=invoice, amount=invoice.owed // 2 // 10_000 * 10_000, method=Payment.Method.CARD,
                   reference="531208", acting_user=users["accountant"])
    _order(steps=WAITING, unit=units["TV-55"], **common)
    return (f"portal customer {DEMO_MOBILE}: {len(units)} units, a repair waiting for their answer, invoice "
            f"{invoice.number} paid in part")


def seed_portal(*, size: str, rng) -> str:
    if Customer.objects.filter(mobile=DEMO_MOBILE).exists():
        return "already present"
    users = {user.username: user for user in get_user_model().objects.filter(username__in=STAFF)}
    if len(users) < len(STAFF):
        return "no demo staff"
    try:
        return _seed(users, rng)
    except ValidationError as error:  # a changed catalog or workflow: the rest of the demo stands
        return f"left out: {' '.join(error.messages)}"
