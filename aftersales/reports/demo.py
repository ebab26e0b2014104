"""A year of workshop history for the management reports: about 170 repair orders over the last 13
Jalali months in the demo's centers, so that every report shows realistic numbers and trends.

The records are made by the services, exactly as the workshop makes them (reception, the workflow's
steps, faults found, operations, parts requested, received into the warehouse and issued, estimates
and the customer's answer, invoices and payments, the satisfaction survey sent at hand-back and
answered), and then dated back: each service call is given a moment on a simulated timeline (hours
to a few days apart, in working hours), and once every order is written, every timestamp those calls
left — reception, workflow moves, time in the previous state, due dates, hand-back, faults,
operations, part lines, stock movements, invoices, payments, surveys, SMS and the unit's history —
is moved to its call's simulated moment (one prepared UPDATE per table, run for each row). The time an
order spent in a state (``TransitionLog.seconds_in_source``) is recomputed from the moved timeline,
so it stays the gap between consecutive moves. The SMS of the history are marked sent when they were
written, so today's worker does not send them.

What the history shows: more fridges and air conditioners in summer; fault codes skewed (one cause
behind most failures); a few quality-control reworks and units received again within 30 days; a
few cancelled and refused orders; the last few days' orders still open. The dishwasher DW-14 fails
far more this month than in any month before, mostly units of one production batch (a pump leak),
for the early warning, computed once at the end as the nightly task would. The warranty at reception
is the warranty engine's answer as of today (the engine has no "as of" date), and no warranty claim
is filed for the history. The seeder runs once: an order received more than 45 days ago marks it done
(the other demo orders are all received today).
"""

import bisect
import datetime
import heapq
import itertools
import time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

#: Orders a month per model (before the season's factor), for both demo sizes.
MODELS = {"RF520": 3.5, "RF340": 3.0, "WM8": 2.0, "DW14": 1.2, "TV55": 1.0, "AC18": 1.6}
#: Each Jalali month's factor (Farvardin first): fridges and air conditioners fail in the heat.
SEASON = {
    "FRIDGE": (0.8, 0.9, 1.1, 1.5, 1.7, 1.5, 1.1, 0.9, 0.7, 0.6, 0.6, 0.7),
    "AC": (0.3, 0.8, 1.6, 2.6, 3.0, 2.2, 0.8, 0.2, 0.1, 0.1, 0.1, 0.2),
}
#: The failing model this month and how many of its units come in (most of them from one batch).
FAILING_MODEL, FAILING_COUNT, FAILING_BATCH_MAX = "DW14", 14, 8
#: Fault codes (their demo codes) by product group, most frequent first: a Pareto-like skew.
FAULTS = {
    "FRIDGE": (("F-COOL-NONE", 60), ("F-COOL-NOISE", 25), ("F-POWER-OFF", 10), ("F-WATER-LEAK", 5)),
    "AC": (("F-COOL-NONE", 65), ("F-COOL-NOISE", 20), ("F-WATER-LEAK", 10), ("F-POWER-OFF", 5)),
    "WASHER": (("F-WATER-LEAK", 55), ("F-POWER-OFF", 30), ("F-COOL-NOISE", 15)),
    "DISHWASHER": (("F-WATER-LEAK", 60), ("F-POWER-OFF", 30), ("F-COOL-NOISE", 10)),
    "TV": (("F-POWER-OFF", 85), ("F-COOL-NOISE", 15)),
}
#: The part a fault usually needs, by fault and model (none: labour only).
PARTS = {("F-COOL-NONE", "RF520"): "GAS-R600", ("F-COOL-NONE", "RF340"): "GAS-R600",
         ("F-COOL-NOISE", "RF520"): "CMP-520", ("F-COOL-NOISE", "RF340"): "CMP-340",
         ("F-WATER-LEAK", "WM8"): "PUMP-01", ("F-WATER-LEAK", "DW14"): "PUMP-01",
         ("F-POWER-OFF", "WM8"): "MB-WM8", ("F-POWER-OFF", "TV55"): "PNL-55"}
COMPLAINTS = {"F-COOL-NONE": "سرد نمی‌کند", "F-COOL-NOISE": "صدای غیرعادی دارد", "F-WATER-LEAK": "آب نشت می‌کند",
              "F-POWER-OFF": "دستگاه روشن نمی‌شود"}
RETURN_SHARE, REWORK_SHARE, REFUSE_SHARE, CANCEL_SHARE = 0.05, 0.06, 0.12, 0.03
MARKER_DAYS = 45


def _hours(rng, low, high):
    return datetime.timedelta(hours=rng.uniform(low, high))


def _working(moment: datetime.datetime) -> datetime.datetime:
    """The moment, moved into Tehran's working hours (08:30–18:00, not on a Friday)."""
    local = timezone.localtime(moment)
    if local.hour >= 18:
        local = (local + datetime.timedelta(days=1)).replace(hour=8, minute=30)
    elif local.hour < 8 or (local.hour == 8 and local.minute < 30):
        local = local.replace(hour=8, minute=30)
    if local.weekday() == 4:  # Friday
        local += datetime.timedelta(days=1)
    return local


class _Clock:
    """Each service call's wall-clock end and its simulated moment: a row written during a call
    takes that call's moment."""

    def __init__(self):
        self.walls: list[datetime.datetime] = []
        self.moments: list[datetime.datetime] = []

    def mark(self, moment):
        self.walls.append(timezone.now())
        self.moments.append(moment)

    def moment(self, wall):
        index = bisect.bisect_left(self.walls, wall)
        return self.moments[min(index, len(self.moments) - 1)]


class _Staff:
    """The people of one center by role (the demo logins stay free of open history orders)."""

    def __init__(self, center, users, warehouse):
        self.center, self.warehouse = center, warehouse
        by_role = {}
        for user in users:
            for role in user.role_names:
                by_role.setdefault(role, []).append(user)
        self.reception = by_role.get("receptionist", [])
        self.technicians = by_role.get("technician", [])
        self.manager = center.manager if center.manager_id else (by_role.get("center_manager") or [None])[0]
        self.keeper = (by_role.get("warehouse_keeper") or [None])[0]
        self.accountant = (by_role.get("accountant") or [None])[0]

    @property
    def complete(self):
        return bool(self.reception and self.technicians and self.manager and self.keeper and self.accountant)


def _plan(rng, today, now, units, models, centers):
    """Each order to make as (received moment, center id, unit id, unit, model code, fault code, is a
    return): the months' counts by model and season, then this month's failing model and batch."""
    from aftersales.reports.periods import add_months, month_start

    first = add_months(today, -12)
    plans = []
    weights = [3.0] + [rng.uniform(0.6, 1.6) for _ in centers[1:]]
    for offset in range(13):
        start = add_months(first, offset)
        end = add_months(first, offset + 1)
        days = (min(end, today + datetime.timedelta(days=1)) - start).days
        share = days / (end - start).days
        j_month = int(_jalali_month(start))
        for code, base in MODELS.items():
            model = models[code]
            factor = SEASON.get(model.group_code, (1,) * 12)[j_month - 1]
            count = max(0, round(base * factor * share * rng.uniform(0.75, 1.25)))
            for _ in range(count):
                day = start + datetime.timedelta(days=rng.randrange(days))
                plans.append((day, code))
    # The failing batch failed once five months ago (its history); this month it and its model fail often.
    this_month = month_start(today)
    plans.append((add_months(this_month, -5) + datetime.timedelta(days=9), f"{FAILING_MODEL}!"))
    in_batch = max(len(units["batch"]) - 1, 0)
    for index in range(FAILING_COUNT):
        day = this_month + datetime.timedelta(days=rng.randrange((today - this_month).days + 1))
        plans.append((day, f"{FAILING_MODEL}!" if index < in_batch else FAILING_MODEL))
    orders = []
    for day, code in plans:
        failing = code.endswith("!")
        code = code.rstrip("!")
        pool = units["batch"] if failing and units["batch"] else units[code]
        # A unit sold at least a week before it comes in.
        index = next((i for i in range(len(pool) - 1, -1, -1) if pool[i].sale_date <= day - datetime.timedelta(days=7)),
                     None)
        if index is None:
            continue
        unit = pool.pop(index)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30))) + _hours(rng, 0, 9)
        moment = _working(moment)
        if moment > now - datetime.timedelta(minutes=30):
            moment = now - datetime.timedelta(hours=rng.uniform(1, 3))
        group = models[code].group_code
        faults = FAULTS.get(group, FAULTS["FRIDGE"])
        fault = "F-WATER-LEAK" if failing or (code == FAILING_MODEL and timezone.localdate(moment) >= this_month) else \
            rng.choices([f for f, _w in faults], weights=[w for _f, w in faults])[0]
        center = rng.choices(centers, weights=weights)[0]
        orders.append((moment, center.pk, unit.pk, unit, code, fault, False))
    return orders


def _jalali_month(day):
    import jdatetime

    return jdatetime.date.fromgregorian(date=day).month


def _units(models):
    """Sold units of the demo models never received yet, by model, shuffled by the caller; plus the
    failing model's biggest production batch apart."""
    from aftersales.catalog.models import ProductUnit
    from aftersales.warranty.models import WarrantyVoid

    voided = WarrantyVoid.objects.values_list("unit_id", flat=True)
    found = {code: [] for code in models}
    by_batch = {}
    codes = {model.pk: code for code, model in models.items()}
    for unit in (ProductUnit.objects.filter(product_model__in=[m.pk for m in models.values()], sale_date__isnull=False,
                                            repair_orders__isnull=True)
                 .exclude(pk__in=voided).select_related("product_model", "owner").order_by("pk")):
        code = codes[unit.product_model_id]
        found[code].append(unit)
        if code == FAILING_MODEL and unit.batch:
            by_batch.setdefault(unit.batch, []).append(unit)
    batch = max(by_batch.values(), key=len, default=[])[:FAILING_BATCH_MAX]
    chosen = {unit.pk for unit in batch}
    found[FAILING_MODEL] = [unit for unit in found[FAILING_MODEL] if unit.pk not in chosen]
    found["batch"] = batch
    return found


def seed_reports_history(*, size: str, rng) -> str:
    """Make the year of history (the same for both sizes) and date it back; once."""
    from aftersales.catalog.models import FaultCode, ProductModel, ServiceItem, SparePart
    from aftersales.core.persian import normalize_identifier
    from aftersales.customers.models import Customer
    from aftersales.organization.models import ServiceCenter
    from aftersales.repairs.models import RepairOrder

    clock_started = time.perf_counter()
    now = timezone.now()
    if RepairOrder.objects.filter(received_at__lt=now - datetime.timedelta(days=MARKER_DAYS)).exists():
        return "already present"
    if not get_user_model().objects.filter(username="reception").exists():
        return "no demo staff"
    models = {m.code: m for m in ProductModel.objects.filter(code__in=list(MODELS)).select_related("group")}
    if len(models) < len(MODELS):
        return "no demo catalog"
    for model in models.values():
        model.group_code = model.group.code
    staff = _staff_by_center()
    centers = [center for center in ServiceCenter.objects.filter(pk__in=list(staff)).order_by("code")][:12]
    if not centers:
        return "no center with its staff"
    units = _units(models)
    for code in MODELS:
        rng.shuffle(units[code])
    faults = {normalize_identifier(fault.code): fault for fault in FaultCode.objects.all()}
    faults = {code: faults.get(normalize_identifier(code)) for codes in FAULTS.values() for code, _w in codes}
    parts = {part.code: part for part in SparePart.objects.filter(is_active=True)}
    parts = {code: parts.get(normalize_identifier(code)) for code in set(PARTS.values())}
    services = {model.group_id: ServiceItem.objects.filter(product_group_id=model.group_id, labour_price__gt=0)
                .order_by("pk").first() for model in models.values()}
    fallback = ServiceItem.objects.filter(labour_price__gt=0).order_by("pk").first()
    customers = list(Customer.objects.exclude(mobile="").order_by("pk").values_list("pk", flat=True)[:300])
    if not customers:
        return "no demo customers"
    quality = {center.pk: rng.gauss(4.0, 0.35) for center in centers}
    today = timezone.localdate()
    queue = _plan(rng, today, now, units, models, centers)
    heapq.heapify(queue)
    # One transaction: a commit per service call would cost SQLite a disk sync each.
    with transaction.atomic():
        before = _last_pks()
        started = timezone.now()
        clock = _Clock()
        made, left_out, returns, reworks, counter = 0, [], 0, 0, itertools.count()
        while queue:
            moment, center_id, _unit_id, unit, code, fault, is_return = heapq.heappop(queue)
            people = staff[center_id]
            model = models[code]
            try:
                with transaction.atomic():
                    order, back = _order(
                        rng=rng, clock=clock, now=now, moment=moment, people=people, unit=unit,
                        customer=unit.owner or Customer.objects.get(pk=customers[next(counter) % len(customers)]),
                        fault=faults.get(fault), fault_code=fault, part=parts.get(PARTS.get((fault, code))),
                        service=services.get(model.group_id) or fallback, quality=quality[center_id],
                        is_return=is_return, rework=rng.random() < REWORK_SHARE)
            except ValidationError as error:
                left_out.append(f"{code}: {' '.join(error.messages)}")
                continue
            made += 1
            reworks += bool(getattr(order, "reworked", False))
            returns += is_return
            if back and not is_return and rng.random() < RETURN_SHARE:
                again = _working(back + datetime.timedelta(days=rng.uniform(3, 25)))
                if again < now - datetime.timedelta(days=2):
                    unit.refresh_from_db()
                    heapq.heappush(queue, (again, center_id, unit.pk, unit, code, fault, True))
        _date_back(clock, before, started)
    from .warnings import failure_alerts_compute

    alerts = failure_alerts_compute()  # as the nightly task would, so the dashboard shows them at once
    line = (f"{made} repair orders over 13 months ({reworks} reworked, {returns} received again within 30 days), "
            f"dated back, {len(alerts)} failure alerts, in {time.perf_counter() - clock_started:.1f} s")
    return line + (f"; left out: {'; '.join(left_out[:5])}" if left_out else "")


def _staff_by_center():
    from aftersales.organization.models import ServiceCenter
    from aftersales.stock.models import Warehouse

    warehouses = {w.center_id: w for w in Warehouse.objects.filter(is_active=True).order_by("pk")}
    staff = {}
    for center in ServiceCenter.objects.filter(is_active=True).select_related("manager").order_by("code")[:12]:
        users = list(center.staff.filter(is_active=True).prefetch_related("groups").order_by("pk"))
        for user in users:
            user.role_names = [group.name for group in user.groups.all()]
        people = _Staff(center, users, warehouses.get(center.pk))
        if people.complete:
            staff[center.pk] = people
    return staff


def _order(*, rng, clock, now, moment, people, unit, customer, fault, fault_code, part, service, quality,
           is_return, rework):
    """One order through the services, each call marked on the clock at its simulated moment; returns
    the order and when it was handed back (None if it was not). Steps whose moment is still to come
    are not taken: the latest orders stay open."""
    from aftersales.billing.models import Payment
    from aftersales.billing.services import invoice_issue, payment_record
    from aftersales.feedback.models import Survey
    from aftersales.feedback.services import survey_answer
    from aftersales.repairs.estimates import estimate_lines_set
    from aftersales.repairs.models import OrderFault, RepairOrder
    from aftersales.repairs.parts import part_issue
    from aftersales.repairs.services import (
        estimate_answer, fault_add, operation_add, order_hand_back, order_transition, part_request, reception_create,
    )
    from aftersales.stock.services import stock_receive

    limit = now - datetime.timedelta(minutes=20)
    receptionist = rng.choice(people.reception)
    technicians = people.technicians
    if moment > now - datetime.timedelta(days=12):  # may stay open: not in the demo logins' cartables
        technicians = [user for user in technicians if user.username != "technician"] or technicians
    technician, manager, keeper = rng.choice(technicians), people.manager, people.keeper
    description = COMPLAINTS.get(fault_code, "دستگاه ایراد دارد")
    if is_return:
        description += "؛ همان ایراد پس از تعمیر قبلی دوباره پیدا شده است"
    order = reception_create(center=people.center, acting_user=receptionist, unit=unit, customer=customer,
                             description=description, accessories="دفترچه راهنما", condition="بدنه سالم")
    clock.mark(moment)
    clock_at = [moment]

    def step(low, high, call) -> bool:
        at = _working(clock_at[0] + _hours(rng, low, high))
        if at > limit:
            return False
        call(RepairOrder.objects.get(pk=order.pk))
        clock.mark(at)
        clock_at[0] = at
        return True

    def move(code, user, comment=""):
        return lambda current: order_transition(order=current, code=code, acting_user=user, comment=comment)

    if not is_return and rng.random() < CANCEL_SHARE:
        step(0.3, 3, move("cancel", receptionist, "مشتری پیش از عیب‌یابی از تعمیر منصرف شد."))
        return order, None
    if not step(0.5, 20, move("start_diagnosis", technician)):
        return order, None

    def diagnose(current):
        fault_add(order=current, acting_user=technician, fault_code=fault, source=OrderFault.Source.FOUND)
        if not current.is_warranty:
            lines = [{"service_item": service, "unit_price": None}]
            if part is not None:
                lines.append({"spare_part": part, "unit_price": None})
            estimate_lines_set(order=current, lines=lines, acting_user=technician)
            order_transition(order=RepairOrder.objects.get(pk=current.pk), code="ask_approval", acting_user=technician)

    if not step(1, 6, diagnose):
        return order, None
    paid = not order.is_warranty
    if paid:
        refuse = rng.random() < REFUSE_SHARE
        if not step(2, 40, lambda current: estimate_answer(order=current, approve=not refuse, channel="phone",
                                                          acting_user=receptionist)):
            return order, None
        if refuse:
            if step(0.1, 1, move("refused", receptionist)):
                step(4, 72, lambda current: order_hand_back(
                    order=current, handed_back_to=f"{current.customer}، کارت ملی", acting_user=receptionist,
                    code="return_unrepaired"))
            return order, None
    if part is not None and people.warehouse is not None:
        def request(current):
            part_request(order=current, acting_user=technician, spare_part=part, quantity=1)
            order_transition(order=RepairOrder.objects.get(pk=current.pk),
                             code="approved_parts" if paid else "need_parts", acting_user=technician)

        def issue(current):
            for line in current.part_lines.filter(status="requested"):
                stock_receive(warehouse=people.warehouse, spare_part=line.spare_part, quantity=line.outstanding,
                              unit_cost=max(line.spare_part.price * 7 // 10, 1), acting_user=keeper,
                              reference=f"سفارش خرید برای {current.number}")
                part_issue(line=line, warehouse=people.warehouse, quantity=line.outstanding, acting_user=keeper)
            order_transition(order=RepairOrder.objects.get(pk=current.pk), code="parts_arrived", acting_user=keeper)

        if not step(0.2, 2, request) or not step(12, 96, issue):
            return order, None
    elif not step(0.2, 2, move("approved_repair" if paid else "start_repair", technician)):
        return order, None

    def repair(current):
        operation_add(order=current, acting_user=technician, service_item=service, minutes=rng.choice([30, 45, 60, 90]))
        order_transition(order=RepairOrder.objects.get(pk=current.pk), code="to_quality_check", acting_user=technician)

    if not step(2, 24, repair):
        return order, None
    if rework:
        if not step(0.5, 4, move("quality_failed", manager, "هنوز ایراد دارد؛ اتصالات دوباره بررسی شود.")):
            return order, None
        order.reworked = True
        if not step(2, 20, move("to_quality_check", technician)):
            return order, None
    if not step(0.5, 5, move("quality_passed", manager)):
        return order, None

    def hand_back(current):
        invoice = invoice_issue(orders=[current], acting_user=people.accountant) if paid else None
        order_hand_back(order=RepairOrder.objects.get(pk=current.pk), acting_user=receptionist,
                        handed_back_to=f"{current.customer}، کارت ملی")
        luck = rng.random()
        if invoice is not None and invoice.owed and luck < 0.95:
            amount = invoice.owed if luck < 0.85 else invoice.owed // 2 // 10_000 * 10_000 or invoice.owed
            method = rng.choice([Payment.Method.CASH, Payment.Method.CARD, Payment.Method.CARD, Payment.Method.TRANSFER])
            payment_record(invoice=invoice, amount=amount, acting_user=people.accountant, method=method,
                           reference="" if method == Payment.Method.CASH else str(rng.randrange(100_000, 999_999)))

    if not step(2, 48, hand_back):
        return order, None
    back = clock_at[0]
    survey = Survey.objects.filter(ref=f"repairs.repairorder:{order.pk}").first()
    if survey is not None and rng.random() < 0.7:
        score = max(1, min(5, round(rng.gauss(quality, 0.8))))
        recommend = max(0, min(10, score * 2 + rng.choice([-1, 0, 0, 1])))
        step(1, 30, lambda current: survey_answer(token=survey.token, score=score, recommend=recommend))
    return order, back


def _tables():
    """The rows the history's calls write, with their timestamps moved to the call's moment, and the
    timestamps shifted by as much as another one (a due date with the state's entry)."""
    from aftersales.billing.models import Invoice, Payment
    from aftersales.catalog.models import UnitEvent
    from aftersales.feedback.models import Survey
    from aftersales.messaging.models import Message
    from aftersales.repairs.models import EstimateLine, Operation, OrderFault, PartLine, RepairOrder
    from aftersales.stock.models import StockMove
    from aftersales.workflow.models import TransitionLog

    order_times = ("received_at", "state_entered_at", "handed_back_at", "estimate_answered_at")
    return [
        (RepairOrder, order_times, {"due_at": "state_entered_at"}),
        (RepairOrder.history.model, ("history_date", *order_times), {"due_at": "state_entered_at"}),
        (EstimateLine.history.model, ("history_date",), {}),
        (TransitionLog, ("at",), {}),
        (OrderFault, ("recorded_at",), {}),
        (Operation, ("performed_at",), {}),
        (PartLine, ("requested_at", "issued_at"), {}),
        (StockMove, ("at",), {}),
        (Invoice, ("issued_at",), {}),
        (Payment, ("paid_at",), {}),
        (Survey, ("created_at", "answered_at"), {"expires_at": "created_at"}),
        (Message, ("created_at", "next_attempt_at"), {}),
        (UnitEvent, ("occurred_at", "created_at"), {}),
    ]


def _last_pks() -> dict:
    return {model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model, _fields, _shifted in _tables()}


@transaction.atomic
def _date_back(clock, before: dict, started) -> None:
    """Move every row written since ``started`` to its call's moment, then recompute the time each
    order spent in each state from the moved workflow log."""
    from aftersales.messaging.models import Message
    from aftersales.repairs.models import RepairOrder
    from aftersales.workflow.models import TransitionLog

    if not clock.walls:
        return
    for model, fields, shifted in _tables():
        names = [*fields, *shifted] + (["state", "sent_at", "backend"] if model is Message else [])
        changed = []
        for row in model.objects.filter(pk__gt=before[model]).only(model._meta.pk.attname, *names).iterator():
            for name, base in shifted.items():
                value, wall = getattr(row, name), getattr(row, base)
                if value is not None and wall is not None and wall >= started:
                    setattr(row, name, value + (clock.moment(wall) - wall))
            for name in fields:
                wall = getattr(row, name)
                if wall is not None and wall >= started:
                    setattr(row, name, clock.moment(wall))
            if model is Message and row.state in (Message.State.QUEUED, Message.State.HELD):
                # Sent long ago: the history's SMS are not sent again by today's worker.
                row.state, row.sent_at, row.backend = Message.State.SENT, row.created_at, "demo"
            changed.append(row)
        _update_rows(model, changed, names)
    content_type = ContentType.objects.get_for_model(RepairOrder)
    received = dict(RepairOrder.objects.filter(pk__gt=before[RepairOrder]).values_list("pk", "received_at"))
    logs = list(TransitionLog.objects.filter(content_type=content_type, object_id__in=list(received),
                                             transition__isnull=False).order_by("object_id", "at", "pk"))
    previous = {}
    for log in logs:
        since = previous.get(log.object_id, received[log.object_id])
        log.seconds_in_source = max(0, int((log.at - since).total_seconds()))
        previous[log.object_id] = log.at
    _update_rows(TransitionLog, logs, ["seconds_in_source"])
    # Reworks and come-backs were judged on the services' own clock; judge them on the moved one.
    from aftersales.repairs.services import order_flags_refresh
    from aftersales.billing.tallies import billing_days_rebuild
    from aftersales.repairs.tallies import (center_days_rebuild, center_state_months_rebuild, fault_months_rebuild,
                                            part_months_rebuild)

    order_flags_refresh(RepairOrder.objects.filter(pk__gt=before[RepairOrder]))
    center_days_rebuild()  # the centers' days and months in each state the reports add up, from the moved dates
    center_state_months_rebuild()
    fault_months_rebuild()
    part_months_rebuild()
    billing_days_rebuild()


def _update_rows(model, rows, names) -> None:
    """``bulk_update`` as one prepared UPDATE run for every row: SQLite takes a few thousand rows in
    well under a second, where ``bulk_update``'s CASE over every row of a batch takes many."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
           f"WHERE {quote(pk.column)} = %s")
    params = [[field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
              + [pk.get_db_prep_save(row.pk, connection)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
