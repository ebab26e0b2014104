"""Demo repair orders at the demo logins' center: at least one in every state of the shipped workflow,
warranty work and paid work, parts requested and issued from the center's warehouse — all through the
services, so numbers, history, stock movements and SMS are what a real day leaves behind.

Each order is written in its own transaction; an order a changed workflow refuses is left out and
named in the console line instead of stopping the whole demo.
"""

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from aftersales.catalog.models import FaultCode, ProductUnit, ServiceItem, SparePart
from aftersales.customers.models import Customer
from aftersales.stock.models import Warehouse
from aftersales.warranty.models import WarrantyVoid
from aftersales.warranty.status import unit_warranty_status

from .estimates import estimate_lines_set, estimate_override, invoice_limit
from .models import PartLine, RepairOrder
from .parts import part_issue, part_replacement_record
from .services import (
    estimate_answer, operation_add, order_hand_back, order_refer, order_transition, part_request,
    reception_create,
)

# The models the demo repairs: each has a component part (the warranty repair) and a cheaper part.
MODELS = ["RF520", "RF340", "WM8"]
DIAGNOSED = ["start_diagnosis"]
PAID_APPROVED = [*DIAGNOSED, "@estimate", "ask_approval", "@approve"]
WARRANTY_FIXED = [*DIAGNOSED, "@request", "need_parts", "@issue", "parts_arrived", "@operation", "to_quality_check",
                  "quality_passed"]
PAID_FIXED = [*PAID_APPROVED, "@request", "approved_parts", "@issue", "parts_arrived", "@operation", "to_quality_check",
              "quality_passed"]
# (warranty, steps). "@" steps call a service; the others are workflow steps. Billing's demo invoices
# the paid orders handed back or ready and claims the warranty orders handed back.
ORDERS = [
    (False, ["@refer"]),  # received, assigned
    (True, []),  # received, nobody's yet: the center's pool
    (True, ["@refer", *DIAGNOSED]),
    (False, [*DIAGNOSED, "@estimate", "ask_approval"]),  # the customer has not answered yet
    # The customer has just approved on the tracking page: flagged in the technician's and reception's cartables.
    (False, ["@refer", *DIAGNOSED, "@estimate", "ask_approval", "@web_approve"]),
    (True, [*DIAGNOSED, "@request", "need_parts"]),  # the warehouse keeper's queue
    (False, [*PAID_APPROVED, "@request", "approved_parts"]),  # the warehouse keeper's queue
    (True, [*DIAGNOSED, "@request", "need_parts", "@issue", "parts_arrived"]),
    (False, [*PAID_APPROVED, "approved_repair", "@operation", "to_quality_check", "quality_failed"]),
    (True, [*DIAGNOSED, "start_repair", "@operation", "to_quality_check"]),
    (True, WARRANTY_FIXED),
    (False, PAID_FIXED),
    (True, [*WARRANTY_FIXED, "@hand_back"]),
    (True, [*WARRANTY_FIXED, "@hand_back"]),
    (False, [*PAID_FIXED, "@hand_back"]),
    (False, [*PAID_FIXED, "@hand_back"]),
    (False, [*PAID_FIXED, "@hand_back"]),
    (False, [*DIAGNOSED, "@estimate", "ask_approval", "@refuse", "refused", "@return"]),
    (False, ["cancel"]),
    (None, ["@refer", *DIAGNOSED]),  # the unit whose warranty was voided
    # Issue 13, the approved estimate is a promise: the customer approved the labour only; the part found
    # later takes the invoice above it, and the center manager allows the amount with a reason.
    (False, [*DIAGNOSED, "@estimate_labour", "ask_approval", "@approve", "@request", "approved_parts", "@issue",
             "parts_arrived", "@operation", "to_quality_check", "quality_passed", "@override"]),
    # Approved, then revised (transport to the customer's home added): the new figure awaits the customer.
    (False, [*PAID_APPROVED, "approved_repair", "@revise"]),
]
# Who takes each workflow step; the quality check is never passed by the one who repaired the unit.
STEP_BY = {"quality_passed": "center", "quality_failed": "center", "parts_arrived": "warehouse", "cancel": "reception",
           "refused": "reception"}
STEP_COMMENT = {"quality_failed": "هنوز صدای غیرعادی دارد؛ اتصالات دوباره بررسی شود.",
                "cancel": "مشتری پیش از عیب‌یابی از تعمیر منصرف شد.", "refused": "مشتری هزینه را نپذیرفت."}
# Units brought by someone other than the customer on record (order index: name, mobile).
BROUGHT_BY = {0: ("حسین موسوی", "09351112244"), 5: ("پیک شرکت باربری آسان‌بر", "09194445566")}
COMPLAINTS = ["دستگاه روشن نمی‌شود", "صدای غیرعادی دارد", "سرد نمی‌کند", "آب نشت می‌کند", "برفک زیاد می‌زند",
              "آب را تخلیه نمی‌کند"]


def _units(rng) -> dict:
    """Units of the demo models by warranty: covered now, not covered (expired, no card), voided."""
    voided = set(WarrantyVoid.objects.filter(component_type__isnull=True).values_list("unit_id", flat=True))
    found = {True: [], False: [], None: [ProductUnit.objects.select_related("product_model", "owner").get(pk=pk)
                                         for pk in sorted(voided)[:1]]}
    candidates = (ProductUnit.objects.filter(product_model__code__in=MODELS, sale_date__isnull=False)
                  .exclude(pk__in=voided).select_related("product_model", "owner").order_by("pk")[:600])
    for unit in candidates:
        found[unit_warranty_status(unit).product.is_covered].append(unit)
        if len(found[True]) >= 20 and len(found[False]) >= 20:
            break
    for units in found.values():
        rng.shuffle(units)
    return found


def _parts(unit) -> tuple:
    """(the unit's component part, its cheapest part) for the warranty and the paid repair."""
    fitting = list(SparePart.objects.filter(is_active=True, fits_models=unit.product_model_id).order_by("price", "pk"))
    component = next((part for part in reversed(fitting) if part.component_type_id), None)
    return component or (fitting[-1] if fitting else None), fitting[0] if fitting else None


def _service(unit):
    group = unit.product_model.group_id
    return (ServiceItem.objects.filter(product_group_id=group, labour_price__gt=0).order_by("pk").first()
            or ServiceItem.objects.filter(labour_price__gt=0).order_by("pk").first())


def _estimate(part, service) -> int:
    """What the paid work will cost with VAT, rounded up to a million rials: the invoice stays within it."""
    cost = (part.price if part else 0) + (service.labour_price if service else 0)
    with_vat = cost * (100 + getattr(settings, "BILLING_VAT_PERCENT", 0)) // 100
    return max(math.ceil(with_vat / 1_000_000), 1) * 1_000_000


def _order(*, steps, unit, customer, users, center, warehouse, rng, faults, brought_by=("", "")) -> RepairOrder:
    order = reception_create(
        center=center, customer=unit.owner or customer, acting_user=users["reception"], unit=unit,
        description=rng.choice(COMPLAINTS), faults=[(rng.choice(faults), "")] if faults else [],
        accessories="دفترچه راهنما", condition="بدنه سالم، بدون خط و ضربه",
        brought_by_name=brought_by[0], brought_by_mobile=brought_by[1],
    )
    warranty_part, paid_part = _parts(unit)
    part = warranty_part if order.is_warranty else paid_part
    service = _service(unit)
    for step in steps:
        order = RepairOrder.objects.get(pk=order.pk)
        if step == "@refer":
            order_refer(order=order, acting_user=users["center"], reason="نوبت کاری", to_user=users["technician"])
        elif step in ("@estimate", "@estimate_labour", "@revise"):
            lines = [{"service_item": service, "unit_price": None}] if service else []
            if part and step != "@estimate_labour":
                lines.append({"spare_part": part, "unit_price": None})
            if step == "@revise":
                lines.append({"kind": "other", "description": "ایاب و ذهاب (تحویل در منزل)", "unit_price": 1_500_000})
            estimate_lines_set(order=order, lines=lines, acting_user=users["technician"])
        elif step == "@override":
            if (invoice_limit(order) or 0) < _estimate(part, service):
                estimate_override(order=order, amount=_estimate(part, service), acting_user=users["center"],
                                  reason="کمپرسور هم معیوب بود؛ مشتری تلفنی در جریان قرار گرفت و موافقت کرد.")
        elif step in ("@approve", "@refuse"):
            estimate_answer(order=order, approve=step == "@approve", channel="phone", acting_user=users["reception"])
        elif step == "@web_approve":  # the customer, on the tracking page
            estimate_answer(order=order, approve=True, channel="web")
        elif step == "@request":
            part_request(order=order, acting_user=users["technician"], spare_part=part, quantity=1)
        elif step == "@issue":
            for line in PartLine.objects.filter(order=order, status=PartLine.Status.REQUESTED).select_related(
                    "spare_part__component_type"):
                line = part_issue(line=line, warehouse=warehouse, quantity=line.outstanding, acting_user=users["warehouse"])
                component = line.spare_part.component_type
                if component is not None and component.has_serial:  # the fitted one's warranty starts today
                    part_replacement_record(line=line, acting_user=users["technician"],
                                            new_serial=f"{line.spare_part.code}N{order.pk:05d}",
                                            old_serial=f"{line.spare_part.code}O{order.pk:05d}",
                                            fate=PartLine.Fate.TO_MANUFACTURER if order.is_warranty else PartLine.Fate.SCRAPPED)
        elif step == "@operation":
            operation_add(order=order, acting_user=users["technician"], service_item=service, minutes=rng.choice([30, 45, 60]))
        elif step in ("@hand_back", "@return"):
            order_hand_back(order=order, handed_back_to=f"{order.customer}، کارت ملی", acting_user=users["reception"],
                            code="hand_back" if step == "@hand_back" else "return_unrepaired")
        else:
            order_transition(order=order, code=step, acting_user=users[STEP_BY.get(step, "technician")],
                             comment=STEP_COMMENT.get(step, ""))
    return order


def seed_repairs(*, size: str, rng) -> str:
    if RepairOrder.objects.exists():
        return "already present"
    names = ["reception", "technician", "center", "warehouse"]
    users = {user.username: user for user in get_user_model().objects.filter(username__in=names)}
    if len(users) < len(names):
        return "no demo staff"
    center = users["reception"].centers.order_by("code").first()
    warehouse = Warehouse.objects.filter(center=center, is_active=True).order_by("pk").first()
    units = _units(rng)
    customers = iter(Customer.objects.exclude(mobile="").order_by("pk")[:len(ORDERS)])
    faults = list(FaultCode.objects.order_by("pk")[:10])
    left_out = []
    for index, (warranty, steps) in enumerate(ORDERS):
        pool = units[warranty] or units[not warranty if warranty is not None else False]
        if not pool:
            left_out.append(f"{index + 1}: no unit")
            continue
        unit = pool.pop()
        try:
            with transaction.atomic():
                _order(steps=steps, unit=unit, customer=next(customers, None), users=users, center=center, warehouse=warehouse,
                       rng=rng, faults=faults, brought_by=BROUGHT_BY.get(index, ("", "")))
        except ValidationError as error:
            left_out.append(f"{index + 1}: {' '.join(error.messages)}")
    line = f"{RepairOrder.objects.count()} repair orders, {PartLine.objects.count()} part lines"
    return line + (f"; left out: {'; '.join(left_out)}" if left_out else "")


# Head office's first change of the shipped workflow, published through the designer's service, so that the
# workflow's versions page shows a history and what changed (issue 14).
PARTS_WORDING = "قطعهٔ لازم سفارش داده شد؛ به‌محض رسیدن، تعمیر ادامه می‌یابد و با پیامک خبرتان می‌کنیم"


def seed_workflow_version(*, size: str, rng) -> str:
    from aftersales.workflow.definition import definition_of, workflow_publish
    from aftersales.workflow.models import Workflow

    workflow = Workflow.objects.filter(code="repair").first()
    manager = get_user_model().objects.filter(username="manager").first()
    if workflow is None or manager is None:
        return "no repair workflow or no head-office manager"
    if workflow.version > 1:
        return "already present"
    definition = definition_of(workflow)
    for state in definition["states"]:
        if state["code"] == "awaiting_parts":
            state["public_name"] = PARTS_WORDING
    version = workflow_publish(workflow=workflow, definition=definition, acting_user=manager,
                               reason="متن پیگیری «در انتظار قطعه» برای مشتری روشن‌تر شد (درخواست مرکز تماس)",
                               base_version=workflow.version)
    return f"repair workflow at version {version.number}"


# Customers' requests from the portal (issue 22): one repair at the center and one home visit, waiting in the
# cartable of the demo logins' center for the receptionist to confirm.
REQUESTS = [
    {"kind": "in_center", "description": "یخچال از دیشب خنک نمی‌کند و موتور مدام روشن و خاموش می‌شود.",
     "window": "morning", "days": 1, "models": ("RF520", "RF340")},
    {"kind": "home", "description": "ماشین لباسشویی آب را تخلیه نمی‌کند و روی صفحه خطای E21 می‌دهد.",
     "window": "afternoon", "days": 2, "area": "نارمک، خیابان گلبرگ، کوچه بهار، پلاک ۱۲، واحد ۳",
     "postal_code": "1647836591", "models": ("WM8",)},
]


def _demo_territories() -> int:
    """One sales territory per city of the demo centers, served by that city's centers, so that customers'
    requests find their center (head office draws the real ones in the desk)."""
    from aftersales.core.persian import normalize_text
    from aftersales.organization.models import ServiceCenter
    from aftersales.regions.models import Region, SalesTerritory

    by_city: dict = {}
    for center in ServiceCenter.objects.filter(is_active=True).order_by("code"):
        city = Region.objects.filter(kind=Region.Kind.CITY, name=normalize_text(center.city),
                                     parent__name=normalize_text(center.province)).first()
        if city is not None:
            by_city.setdefault(city, []).append(center)
    for city, centers in by_city.items():
        territory, _created = SalesTerritory.objects.get_or_create(code=f"DEMO-{city.code}",
                                                                   defaults={"name": city.name})
        territory.regions.add(city)
        territory.centers.add(*centers)
    return len(by_city)


def seed_service_requests(*, size: str, rng) -> str:
    from datetime import timedelta

    from django.utils import timezone

    from aftersales.regions.models import Region

    from .models import ServiceRequest
    from .requests import service_request_submit

    if ServiceRequest.objects.exists():
        return "already present"
    reception = get_user_model().objects.filter(username="reception").first()
    if reception is None:
        return "no demo staff"
    cities = _demo_territories()
    center = reception.centers.order_by("code").first()
    city = Region.objects.filter(territories__centers=center, kind=Region.Kind.CITY).order_by("code").first()
    if city is None:
        return f"{cities} territories; no city served by {center}"
    district = Region.objects.filter(parent=city, kind=Region.Kind.DISTRICT).order_by("code").first() or city
    owned = (ProductUnit.objects.filter(owner__isnull=False).exclude(owner__mobile="")
             .select_related("owner", "product_model").order_by("pk"))
    made, left_out, used = 0, [], set()
    for spec in REQUESTS:
        # A unit of the kind the complaint is about (any demo model's when the catalog has none).
        units = (list(owned.filter(product_model__code__in=spec["models"]).exclude(pk__in=used)[:50])
                 or list(owned.filter(product_model__code__in=MODELS).exclude(pk__in=used)[:50]))
        if not units:
            left_out.append("no unit with an owner")
            continue
        unit = rng.choice(units)
        used.add(unit.pk)
        home = spec["kind"] == "home"
        try:
            service_request_submit(
                customer=unit.owner, unit=unit, kind=spec["kind"], description=spec["description"],
                region=district if home else city, address=spec.get("area", ""),
                postal_code=spec.get("postal_code", ""), window=spec["window"],
                preferred_on=timezone.localdate() + timedelta(days=spec["days"]))
            made += 1
        except ValidationError as error:
            left_out.append(" ".join(error.messages))
    line = f"{cities} territories, {made} service requests waiting at {center.code}"
    return line + (f"; left out: {'; '.join(left_out)}" if left_out else "")
