"""Demo warehouses: one per center (at most 20), stocked with every spare part, a few below their
minimum; at the first center a transfer to the next one and a stock-take, so the ledger and the
shortage list have rows from the first login."""

from django.contrib.auth import get_user_model
from django.db import transaction

from aftersales.catalog.models import SparePart

from .models import Warehouse
from .services import stock_adjust, stock_minimum_set, stock_receive, stock_transfer

MINIMUM = 3
# The first center's warehouse: enough of each part for the demo's repairs, but the dearest part
# (the panel) is down to one piece, below the minimum: the shortage list is never empty.
FIRST_CENTER_QUANTITY = 12
SHORT_QUANTITY = 1


@transaction.atomic
def seed_stock(*, size: str, rng) -> str:
    from aftersales.organization.models import ServiceCenter, User

    if Warehouse.objects.exists():
        return "already present"
    parts = list(SparePart.objects.filter(is_active=True).order_by("pk"))
    short = max(parts, key=lambda part: part.price, default=None)
    keepers = User.objects.filter(groups__name="warehouse_keeper").prefetch_related("centers")
    keeper = get_user_model().objects.filter(username="warehouse").first()
    warehouses = []
    for index, center in enumerate(ServiceCenter.objects.filter(is_active=True).order_by("code")[:20]):
        warehouse = Warehouse.objects.create(center=center, code="main", name="انبار قطعات")
        warehouse.keepers.add(*[k for k in keepers if center in k.centers.all()])
        for part in parts:
            if index == 0:
                quantity = SHORT_QUANTITY if part == short else FIRST_CENTER_QUANTITY
            else:
                quantity = rng.choice([0, 2, 5, 10, 25])
            if quantity:
                stock_receive(warehouse=warehouse, spare_part=part, quantity=quantity,
                              unit_cost=max(part.price * 7 // 10, 1), acting_user=keeper if index == 0 else None,
                              reference="demo" if index else "رسید خرید ۱۴۰۵/۰۱")
            stock_minimum_set(warehouse=warehouse, spare_part=part, minimum=MINIMUM, acting_user=None)
        warehouses.append(warehouse)
    moves = 0
    if len(warehouses) > 1 and parts:
        cheap = min(parts, key=lambda part: part.price)
        stock_transfer(source=warehouses[0], target=warehouses[1], spare_part=cheap, quantity=2, acting_user=keeper,
                       reason="کمبود در مرکز همسایه")
        stock_adjust(warehouse=warehouses[0], spare_part=cheap, counted=FIRST_CENTER_QUANTITY - 3, acting_user=keeper,
                     reason="انبارگردانی: یک عدد آسیب‌دیده")
        moves = 2
    return f"{len(warehouses)} warehouses, {len(parts)} parts each, {moves} movements at the first"
