"""Demo data of the service-contract coverage part of sales, written through its services.

One after-sales service contract of the reception desk's center (a year, four visits a unit, parts
covered, a 24-hour response) covers a few demo units: two that have been received at that center's
reception (one already counted a visit) and a few more of the same models whose warranty has ended, so
typing one of their serials — or the contract's number — at reception shows the contract beside the
warranty.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

TITLE = "قرارداد خدمات پس از فروش سالانه — هتل پارسیان کوثر"


def _units(center):
    """Units received at ``center``'s reception, then units of the same models out of warranty."""
    from aftersales.catalog.models import ProductUnit
    from aftersales.repairs.models import RepairOrder
    from aftersales.warranty.status import unit_warranty_status

    received = list(ProductUnit.objects.filter(pk__in=RepairOrder.objects.filter(center=center, unit__isnull=False)
                                               .values("unit_id")).order_by("pk")[:2])
    models = {unit.product_model_id for unit in received}
    more = []
    candidates = ProductUnit.objects.filter(sale_date__isnull=False, repair_orders__isnull=True).order_by("pk")
    if models:
        candidates = candidates.filter(product_model_id__in=models)
    for unit in candidates[:200]:
        if not unit_warranty_status(unit).product.is_covered:
            more.append(unit)
        if len(more) >= 3:
            break
    return received, more


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    from aftersales.customers.models import Customer

    from .models import Contract
    from .services_contracts import contract_create
    from .services_coverage import contract_unit_add, contract_visit_use

    if Contract.objects.filter(kind=Contract.Kind.SERVICE, title=TITLE).exists():
        return []
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["reception", "center"])}
    if len(users) < 2:
        return ["service contract: no demo reception or center manager"]
    manager = users["center"]
    center = users["reception"].centers.order_by("code").first()
    received, more = _units(center)
    if not received and not more:
        return ["service contract: no demo units"]
    party = (Customer.objects.filter(kind=Customer.Kind.LEGAL, merged_into__isnull=True).order_by("pk").first()
             or (received or more)[0].owner or Customer.objects.order_by("pk").first())
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=60), today + datetime.timedelta(days=305)
    try:
        contract = contract_create(
            center=center, kind=Contract.Kind.SERVICE, title=TITLE, customer=party, start_date=start, end_date=end,
            value=480_000_000, responsible=manager, acting_user=manager, visits_included=4, parts_covered=True,
            response_hours=24, alarm_days_before=30,
            instalments=[{"due_date": start, "amount": 240_000_000},
                         {"due_date": start + datetime.timedelta(days=180), "amount": 240_000_000}],
            note="سرویس دوره‌ای و تعمیر یخچال‌ها و لباسشویی‌های هتل؛ قطعات به عهده قرارداد.")
    except ValidationError as error:
        return [f"service contract left out: {' '.join(error.messages)}"]
    covered = []
    for unit in [*received, *more]:
        try:
            covered.append(contract_unit_add(contract=contract, serial_or_unit=unit, acting_user=manager))
        except ValidationError:
            continue
    if covered:
        contract_visit_use(contract_unit=covered[0], acting_user=users["reception"], reference="demo")
    serials = ", ".join(row.unit.serial for row in covered[:3])
    return [f"service contract {contract.number} covering {len(covered)} units ({serials}…)"]
