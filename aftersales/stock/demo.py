"""Demo warehouses: one per center, stocked with every spare part, a few below their minimum."""

from django.db import transaction

from aftersales.catalog.models import SparePart

from .models import Warehouse
from .services import stock_minimum_set, stock_receive


@transaction.atomic
def seed_stock(*, size: str, rng) -> str:
    from aftersales.organization.models import ServiceCenter, User

    if Warehouse.objects.exists():
        return "already present"
    parts = list(SparePart.objects.filter(is_active=True))
    keepers = User.objects.filter(groups__name="warehouse_keeper").prefetch_related("centers")
    count = 0
    for center in ServiceCenter.objects.filter(is_active=True).order_by("pk")[:20]:
        warehouse = Warehouse.objects.create(center=center, code="main", name="انبار قطعات")
        warehouse.keepers.add(*[k for k in keepers if center in k.centers.all()])
        for part in parts:
            quantity = rng.choice([0, 2, 5, 10, 25])
            if quantity:
                stock_receive(warehouse=warehouse, spare_part=part, quantity=quantity,
                              unit_cost=max(part.price * 7 // 10, 1), acting_user=None, reference="demo")
            stock_minimum_set(warehouse=warehouse, spare_part=part, minimum=3, acting_user=None)
        count += 1
    return f"{count} warehouses, {len(parts)} parts each"
