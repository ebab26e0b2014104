"""Demo repair orders at the demo logins' center, spread along the workflow."""

from django.contrib.auth import get_user_model
from django.db import transaction

from aftersales.catalog.models import FaultCode, ProductUnit, ServiceItem
from aftersales.customers.models import Customer

from .models import RepairOrder
from .services import (
    estimate_set, operation_add, order_hand_back, order_refer, order_transition, part_request, reception_create,
)

# How far each demo order goes: the steps after reception.
PATHS = [
    [],
    ["start_diagnosis"],
    ["start_diagnosis", "@estimate", "ask_approval"],
    ["start_diagnosis", "start_repair"],
    ["start_diagnosis", "start_repair", "@operation", "to_quality_check"],
    ["start_diagnosis", "start_repair", "@operation", "to_quality_check", "quality_passed"],
    ["start_diagnosis", "start_repair", "@operation", "to_quality_check", "quality_passed", "@hand_back"],
    [],
]


def seed_repairs(*, size: str, rng) -> str:
    if RepairOrder.objects.exists():
        return "already present"
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["reception", "technician", "center"])}
    if len(users) < 3:
        return "no demo staff"
    center = users["reception"].centers.first()
    units = list(ProductUnit.objects.select_related("owner", "product_model").order_by("pk")[:len(PATHS)])
    customers = list(Customer.objects.exclude(mobile="").order_by("pk")[:len(PATHS)])
    faults = list(FaultCode.objects.all()[:10])
    service = ServiceItem.objects.first()
    for path, unit, customer in zip(PATHS, units, customers, strict=False):
        with transaction.atomic():
            order = reception_create(
                center=center, customer=unit.owner or customer, acting_user=users["reception"], unit=unit,
                description=rng.choice(["دستگاه روشن نمی‌شود", "صدای غیرعادی دارد", "سرد نمی‌کند", "آب نشت می‌کند"]),
                faults=[(rng.choice(faults), "")] if faults else [], accessories="دفترچه راهنما",
            )
            order_refer(order=order, acting_user=users["center"], reason="نوبت کاری", to_user=users["technician"])
            for step in path:
                order = RepairOrder.objects.get(pk=order.pk)
                if step == "@estimate":
                    order.is_warranty or estimate_set(order=order, amount=rng.randrange(20, 90) * 100_000,
                                                      acting_user=users["technician"])
                    if order.is_warranty:
                        break
                elif step == "@operation" and service is not None:
                    operation_add(order=order, acting_user=users["technician"], service_item=service, minutes=45)
                elif step == "@hand_back":
                    order_hand_back(order=order, handed_back_to=f"{order.customer}، کارت ملی", acting_user=users["reception"])
                else:
                    who = users["center"] if step == "quality_passed" else users["technician"]
                    order_transition(order=order, code=step, acting_user=who)
    from aftersales.catalog.models import SparePart

    part = SparePart.objects.filter(is_active=True).order_by("pk").first()
    waiting = RepairOrder.objects.filter(center=center, state__is_final=False).order_by("pk")[:3]
    for order in waiting if part is not None else []:  # the warehouse keeper's queue
        part_request(order=order, acting_user=users["technician"], spare_part=part, quantity=rng.choice([1, 2]))
    return f"{RepairOrder.objects.count()} repair orders"
