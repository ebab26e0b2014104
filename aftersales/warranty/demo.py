"""Demo warranties: a policy (with component terms) for every product model, and cards issued and
activated for most sold units through the services, so numbers, schedules and history are real.

Sale dates in the demo catalog go back four years, so many cards have run out (expired) while recent
ones are active; a few cards wait for activation, and one unit's warranty is voided with the reason.
"""

import datetime
import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import ComponentType, ProductModel, ProductUnit
from aftersales.customers.models import Customer

from .models import ComponentTerm, ModelWarranty, PolicyVersion, VoidReason, WarrantyCard, WarrantyPolicy
from .services import warranty_card_activate, warranty_card_issue, warranty_void
from .status import unit_warranty_status

# code, name, product groups, versions: (in force from, months, {component: months}, options).
POLICIES = [
    ("fridge-18", "گارانتی ۱۸ ماهه یخچال و فریزر", ["FRIDGE"], [
        (datetime.date(2021, 3, 21), 12, {"COMPRESSOR": 36}, {}),
        (datetime.date(2024, 3, 20), 18, {"COMPRESSOR": 60}, {}),
    ]),
    ("washer-24", "گارانتی ۲۴ ماهه لباسشویی و ظرفشویی", ["WASHER", "DISHWASHER"], [
        (datetime.date(2021, 3, 21), 24, {"MOTOR": 120}, {"covers_home_service": True, "free_periodic_services": 1,
                                                          "periodic_interval_months": 12}),
    ]),
    ("tv-18", "گارانتی ۱۸ ماهه تلویزیون", ["TV"], [
        (datetime.date(2021, 3, 21), 18, {"PANEL": 36}, {}),
    ]),
    ("ac-18", "گارانتی ۱۸ ماهه کولر گازی از تاریخ نصب", ["AC"], [
        (datetime.date(2021, 3, 21), 18, {"COMPRESSOR": 60}, {
            "start_event": PolicyVersion.StartEvent.INSTALLATION, "covers_home_service": True, "covers_transport": True,
            "free_periodic_services": 2, "periodic_interval_months": 6, "paid_periodic_services": 2,
            "paid_periodic_price": 15_000_000}),
    ]),
]
FALLBACK = ("general-12", "گارانتی ۱۲ ماهه عمومی", 12)
# Cards for most sold units: every one of the small demo's; a capped number of the large one's, so
# the seeding stays within minutes at a million serials.
CARD_UNITS = {"small": 2_000, "large": 5_000}
CARD_SHARE = 0.85  # of the sold units looked at; the rest have no card yet
NOT_ACTIVATED_SHARE = 0.05  # of the cards: issued, waiting for the buyer
OWNERS = 120  # activated cards that name their buyer (and text them), one demo customer each


def _policies(manager) -> int:
    components = dict(ComponentType.objects.values_list("code", "pk"))
    by_group: dict[str, WarrantyPolicy] = {}
    for code, name, groups, versions in POLICIES:
        policy = WarrantyPolicy(code=code, name=name)
        policy._history_user = manager
        policy.save()
        for effective_from, months, terms, options in versions:
            version = PolicyVersion(policy=policy, effective_from=effective_from, duration_months=months, **options)
            version._history_user = manager
            version.save()
            ComponentTerm.objects.bulk_create([
                ComponentTerm(version=version, component_type_id=components[component], duration_months=term_months,
                              covers_labour=component != "MOTOR")  # the long motor term covers the part only
                for component, term_months in terms.items() if component in components
            ])
        by_group.update({group: policy for group in groups})
    fallback = None
    assigned = 0
    for model in ProductModel.objects.select_related("group", "group__parent").filter(warranty__isnull=True):
        group = model.group
        policy = by_group.get(group.code) or (by_group.get(group.parent.code) if group.parent_id else None)
        if policy is None:
            if fallback is None:
                fallback = WarrantyPolicy(code=FALLBACK[0], name=FALLBACK[1])
                fallback._history_user = manager
                fallback.save()
                version = PolicyVersion(policy=fallback, effective_from=datetime.date(2021, 3, 21), duration_months=FALLBACK[2])
                version._history_user = manager
                version.save()
            policy = fallback
        assignment = ModelWarranty(product_model=model, policy=policy)
        assignment._history_user = manager
        assignment.save()
        assigned += 1
    return assigned


@transaction.atomic
def seed_warranty(*, size: str, rng) -> str:
    if WarrantyPolicy.objects.exists():
        return "already present"
    started = time.perf_counter()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["manager", "reception", "technician"])}
    models = _policies(users.get("manager"))
    units = list(ProductUnit.objects.filter(sale_date__isnull=False, warranty_cards__isnull=True)
                 .select_related("product_model__group").order_by("pk")[:CARD_UNITS[size]])
    owners = iter(Customer.objects.filter(merged_into__isnull=True).exclude(mobile="").order_by("pk")[:OWNERS])
    issued = activated = 0
    today = timezone.localdate()
    for unit in units:
        if rng.random() >= CARD_SHARE:
            continue
        card = warranty_card_issue(unit=unit, acting_user=users.get("manager"))
        issued += 1
        if rng.random() < NOT_ACTIVATED_SHARE:
            continue
        by_dealer = rng.random() < 0.6
        installed = unit.sale_date + datetime.timedelta(days=rng.randrange(1, 10))
        warranty_card_activate(
            number=card.number, purchase_date=unit.sale_date,
            channel=WarrantyCard.Channel.DEALER if by_dealer else WarrantyCard.Channel.STAFF,
            acting_user=None if by_dealer else users.get("reception"), owner=next(owners, None),
            installation_date=installed if installed <= today and unit.product_model.group.code == "AC" else None,
        )
        activated += 1
    voided = _void_one(users.get("technician"))
    return (f"{WarrantyPolicy.objects.count()} policies for {models} models, {issued:,} cards ({activated:,} activated, {voided} voided) in {time.perf_counter() - started:.1f} s")


def _void_one(technician) -> int:
    """Void the warranty of one unit still under warranty: a board burnt by a voltage surge."""
    cards = WarrantyCard.objects.filter(status=WarrantyCard.Status.ACTIVE).select_related("unit").order_by("-purchase_date")
    for card in cards[:50]:
        if unit_warranty_status(card.unit).product.is_covered:
            warranty_void(unit=card.unit, reason=VoidReason.VOLTAGE, acting_user=technician,
                          note="نوسان شدید برق؛ برد اصلی سوخته و محافظ ولتاژ نصب نشده بود.")
            return 1
    return 0
