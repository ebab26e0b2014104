"""The centers' days (``CenterDay``), months in each state (``CenterStateMonth``) and the network's
months of fault codes and spare parts (``FaultMonth``, ``PartMonth``): what each order adds to them,
kept current by the services.

An order adds one reception (and one warranty reception if under warranty) to its center's day of
reception and, once handed back, one hand-back with its turnaround, rework, come-back and first-time
fix to its center's day of hand-back. A service that changes any of those facts of an order takes a
``snapshot`` before, changes the order, and calls ``tally_change(before, order)``: the difference is
added with ``UPDATE … SET n = n + d`` (two desks receiving at once both count). ``center_days_rebuild``
recomputes the rows from the orders, for data written around the services (a migration, the demo's
dated-back history, the benchmark's fill).

Each move out of a state (``workflow.engine.state_left``) adds its seconds to the center's Jalali month
in that state; a referral to another center takes the order's moves there (the reports count an
order under its current center). ``center_state_months_rebuild`` recomputes them from the moves.

An order counts once under each of its counted fault codes (those found, else those reported) in the
Jalali month it was received, for its product model; a fault added at reception or later changes
them (``faults_change``); ``fault_months_rebuild`` recomputes them from the fault lines. A part line
counts in its order's month of reception once issued, with the pieces issued and not returned
(``part_tally``; ``part_months_rebuild``).
"""

import datetime
from collections import Counter
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from aftersales.core import jalali
from aftersales.core.expressions import Seconds
from aftersales.core.tallies import tally_add

from .models import CenterDay, CenterStateMonth, FaultMonth, OrderFault, PartLine, PartMonth, RepairOrder

FIELDS = ("received", "received_warranty", "handed_back", "turnaround_seconds", "reworked", "come_back",
          "first_time")


class Snapshot(NamedTuple):
    center_id: int
    received_at: datetime.datetime
    is_warranty: bool
    handed_back_at: datetime.datetime | None
    is_reworked: bool
    has_come_back: bool


def snapshot(order: RepairOrder) -> Snapshot:
    return Snapshot(order.center_id, order.received_at, order.is_warranty, order.handed_back_at, order.is_reworked,
                    order.has_come_back)


def _adds(state: Snapshot | None) -> dict[tuple[int, datetime.date], Counter]:
    if state is None:
        return {}
    adds = {(state.center_id, timezone.localdate(state.received_at)): Counter(
        received=1, received_warranty=int(state.is_warranty))}
    if state.handed_back_at is not None:
        key = (state.center_id, timezone.localdate(state.handed_back_at))
        adds.setdefault(key, Counter()).update(Counter(
            handed_back=1, turnaround_seconds=int((state.handed_back_at - state.received_at).total_seconds()),
            reworked=int(state.is_reworked), come_back=int(state.has_come_back),
            first_time=int(not state.is_reworked and not state.has_come_back)))
    return adds


def tally_change(before: Snapshot | None, after: RepairOrder | Snapshot | None) -> None:
    """Add to the centers' days the difference between an order's facts ``before`` and ``after`` a change
    (``None`` before: a new order)."""
    if isinstance(after, RepairOrder):
        after = snapshot(after)
    if before == after:
        return
    old, new = _adds(before), _adds(after)
    for key in sorted(old.keys() | new.keys()):  # rows in one order: two writers never wait on each other
        delta = {field: new.get(key, Counter())[field] - old.get(key, Counter())[field] for field in FIELDS}
        tally_add(CenterDay, {"center_id": key[0], "day": key[1]}, delta)


def state_left(sender, record, source, seconds, at, **kwargs) -> None:
    """``workflow.engine.state_left`` receiver: the order's time in ``source`` joins its center's month."""
    tally_add(CenterStateMonth, {"center_id": record.center_id, "state_id": source.pk,
                                 "month": jalali.month_start(timezone.localdate(at))}, {"seconds": seconds, "moves": 1})


def state_months_move(order: RepairOrder, from_center_id: int) -> None:
    """After a referral: the order's moves count under its new center."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.workflow.models import TransitionLog

    if order.center_id == from_center_id:
        return
    moves = Counter()
    seconds = Counter()
    for source, at, spent in TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(RepairOrder), object_id=order.pk, source__isnull=False,
            seconds_in_source__isnull=False).values_list("source", "at", "seconds_in_source"):
        key = (source, jalali.month_start(timezone.localdate(at)))
        moves[key] += 1
        seconds[key] += spent
    changes = sorted([((from_center_id, state, month), -1) for state, month in moves]
                     + [((order.center_id, state, month), 1) for state, month in moves])
    for (center, state, month), sign in changes:  # rows in one order: two referrals never wait on each other
        tally_add(CenterStateMonth, {"center_id": center, "state_id": state, "month": month},
                  {"seconds": sign * seconds[state, month], "moves": sign * moves[state, month]})


def center_days_rebuild(*, models=(RepairOrder, CenterDay)) -> int:
    """Recompute the centers' days from the orders; returns the rows written. ``models``: the order and
    day models (a migration passes its historical ones)."""
    order_model, day_model = models
    tehran = timezone.get_current_timezone()
    orders = order_model.objects.all()
    days: dict[tuple[int, datetime.date], dict] = {}
    for entry in (orders.annotate(day=TruncDate("received_at", tzinfo=tehran)).values("center", "day")
                  .annotate(received=Count("pk"), received_warranty=Count("pk", filter=Q(is_warranty=True)))
                  .order_by()):
        days.setdefault((entry["center"], entry["day"]), {}).update(
            received=entry["received"], received_warranty=entry["received_warranty"])
    handed = orders.filter(handed_back_at__isnull=False)
    for entry in (handed.annotate(day=TruncDate("handed_back_at", tzinfo=tehran)).values("center", "day")
                  .annotate(handed_back=Count("pk"), seconds=Sum(Seconds(F("handed_back_at"), F("received_at"))),
                            reworked=Count("pk", filter=Q(is_reworked=True)),
                            come_back=Count("pk", filter=Q(has_come_back=True)),
                            first_time=Count("pk", filter=Q(is_reworked=False, has_come_back=False)))
                  .order_by()):
        days.setdefault((entry["center"], entry["day"]), {}).update(
            handed_back=entry["handed_back"], turnaround_seconds=round(entry["seconds"] or 0),
            reworked=entry["reworked"], come_back=entry["come_back"], first_time=entry["first_time"])
    with transaction.atomic():
        day_model.objects.all().delete()
        day_model.objects.bulk_create([day_model(center_id=center, day=day, **values)
                                       for (center, day), values in days.items()], batch_size=5000)
    return len(days)


def center_state_months_rebuild() -> int:
    """Recompute the centers' months in each state from the orders' moves; returns the rows written."""
    from django.db.models import Max, Min

    moves = RepairOrder.objects.filter(transition_logs__source__isnull=False,
                                       transition_logs__seconds_in_source__isnull=False)
    bounds = moves.aggregate(first=Min("transition_logs__at"), last=Max("transition_logs__at"))
    rows = []
    if bounds["first"] is not None:
        starts, month = _month_case("transition_logs__at", bounds["first"], bounds["last"])
        rows = [CenterStateMonth(center_id=entry["center"], state_id=entry["transition_logs__source"],
                                 month=starts[entry["month"]], seconds=entry["seconds"], moves=entry["moves"])
                for entry in (moves.annotate(month=month).values("center", "transition_logs__source", "month")
                              .annotate(seconds=Sum("transition_logs__seconds_in_source"),
                                        moves=Count("transition_logs")).order_by())]
    with transaction.atomic():
        CenterStateMonth.objects.all().delete()
        CenterStateMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def counted_codes(order_id: int) -> set[int]:
    """The fault codes an order counts under: those the technician found, else those reported."""
    lines = set(OrderFault.objects.filter(order=order_id, fault_code__isnull=False).values_list("source", "fault_code"))
    found = {code for source, code in lines if source == OrderFault.Source.FOUND}
    return found or {code for _source, code in lines}


def faults_change(order: RepairOrder, before: set[int], after: set[int] | None = None) -> None:
    """After the order's fault lines changed from counting under ``before`` (to ``after``, read from the
    lines if not given): the months follow."""
    after = counted_codes(order.pk) if after is None else after
    if after == before:
        return
    key = {"month": jalali.month_start(timezone.localdate(order.received_at)), "product_model_id": order.product_model_id}
    for code in sorted(before ^ after):  # rows in one order: two writers never wait on each other
        tally_add(FaultMonth, {**key, "fault_code_id": code}, {"orders": 1 if code in after else -1})


def fault_months_rebuild() -> int:
    """Recompute the network's months of fault codes from the orders' fault lines; returns the rows written."""
    from django.db.models import Exists, Max, Min, OuterRef

    found = OrderFault.objects.filter(order=OuterRef("order"), source=OrderFault.Source.FOUND, fault_code__isnull=False)
    counted = OrderFault.objects.filter(fault_code__isnull=False).filter(
        Q(source=OrderFault.Source.FOUND) | ~Exists(found))
    bounds = counted.aggregate(first=Min("order__received_at"), last=Max("order__received_at"))
    rows = []
    if bounds["first"] is not None:
        starts, month = _month_case("order__received_at", bounds["first"], bounds["last"])
        rows = [FaultMonth(month=starts[entry["month"]], product_model_id=entry["order__product_model"],
                           fault_code_id=entry["fault_code"], orders=entry["orders"])
                for entry in (counted.annotate(month=month).values("month", "order__product_model", "fault_code")
                              .annotate(orders=Count("order", distinct=True)).order_by())]
    with transaction.atomic():
        FaultMonth.objects.all().delete()
        FaultMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def part_tally(line: PartLine, *, lines: int, quantity: int) -> None:
    """A part line of an order newly issued (``lines`` 1) and pieces issued (+) or returned (-)."""
    order = line.order
    tally_add(PartMonth, {"month": jalali.month_start(timezone.localdate(order.received_at)),
                          "product_model_id": order.product_model_id, "spare_part_id": line.spare_part_id},
              {"lines": lines, "quantity": quantity})


def part_months_rebuild() -> int:
    """Recompute the network's months of spare parts from the part lines; returns the rows written."""
    from django.db.models import Max, Min

    issued = PartLine.objects.filter(issued_quantity__gt=0)
    bounds = issued.aggregate(first=Min("order__received_at"), last=Max("order__received_at"))
    rows = []
    if bounds["first"] is not None:
        starts, month = _month_case("order__received_at", bounds["first"], bounds["last"])
        rows = [PartMonth(month=starts[entry["month"]], product_model_id=entry["order__product_model"],
                          spare_part_id=entry["spare_part"], lines=entry["lines"], quantity=entry["quantity"])
                for entry in (issued.annotate(month=month).values("month", "order__product_model", "spare_part")
                              .annotate(lines=Count("pk"), quantity=Sum(F("issued_quantity") - F("returned_quantity")))
                              .order_by())]
    with transaction.atomic():
        PartMonth.objects.all().delete()
        PartMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _month_case(field: str, first: datetime.datetime, last: datetime.datetime):
    """The first days of the Jalali months from ``first`` to ``last`` and an expression giving each row's
    index among them from its datetime ``field``."""
    from django.db.models import Case, IntegerField, Value, When

    starts = [jalali.month_start(timezone.localdate(first))]
    while starts[-1] <= timezone.localdate(last):
        starts.append(jalali.next_month_start(starts[-1]))
    return starts, Case(*[When(**{f"{field}__lt": _start(following)}, then=Value(index))
                          for index, following in enumerate(starts[1:])], output_field=IntegerField())


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
