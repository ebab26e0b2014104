"""Reads on the workshop: cartables, an order's timeline, history by serial and customer, suggestions."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone

from aftersales.organization.roles import Role
from aftersales.organization.scoping import scope_queryset
from aftersales.personnel.models import StaffSkill
from aftersales.personnel.selectors import skills_for_faults, technicians_find
from aftersales.workflow.engine import subject_log
from aftersales.workflow.models import TransitionLog

from .models import PartLine, RepairOrder

_PARTS_WAITING = (PartLine.Status.REQUESTED, PartLine.Status.PARTIAL, PartLine.Status.BACKORDERED)

_ORDER_ROWS = ("state", "center", "customer", "product_model", "assignee")


# What a table of orders (cartable, order list) shows: loading only these keeps a page of orders from
# building every column of five joined models (most of a cartable page's time went there).
_TABLE_FIELDS = ("number", "is_warranty", "serial", "received_at", "due_at", "state__name", "state__is_final",
                 "customer__kind", "customer__first_name", "customer__last_name", "customer__company_name",
                 "product_model__name", "product_model__code", "assignee__first_name", "assignee__last_name",
                 "assignee__username", "estimate_status")


def orders_for(user):
    return scope_queryset(RepairOrder.objects.select_related(*_ORDER_ROWS), user)


def order_table_rows(orders):
    """``orders`` as ``repairs/partials/order_table.html`` shows them."""
    return orders.select_related(None).select_related("state", "customer", "product_model", "assignee").only(
        *_TABLE_FIELDS)


def cartable(user, *, scope: str = "mine"):
    """What waits for the user (F18): open orders assigned to them (and their teams' untaken ones),
    the pool (``scope="pool"``: untaken orders of their centers that belong to no team or to one of
    theirs, for a technician to take), or (``scope="center"``, managers and receptionists) every
    open order of their centers; with counts per state and the overdue ones first."""
    # By state ids, not a join on is_final: the (assignee, state) index then reads only open orders,
    # not every order a technician ever had.
    from aftersales.workflow.models import State

    open_states = list(State.objects.filter(is_final=False).values_list("pk", flat=True))
    orders = orders_for(user).filter(state_id__in=open_states)
    if scope == "mine":  # mine, and my teams' orders no one has taken yet
        teams = user.teams.values("pk")  # a subquery: a join on members would count an order once per member
        orders = orders.filter(Q(assignee=user) | Q(assignee__isnull=True, team__in=teams))
    elif scope == "pool":
        teams = user.teams.values("pk")
        orders = orders.filter(Q(team__isnull=True) | Q(team__in=teams), assignee__isnull=True)
    now = timezone.now()
    news = estimate_news_q()
    counts = list(orders.values("state__name", "state__order").annotate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)),
        answered=Count("pk", filter=news)).order_by("state__order"))
    # The customer's fresh answers first: someone must act on them (repair, or return the unit).
    rows = order_table_rows(orders.annotate(estimate_news=ExpressionWrapper(news, output_field=BooleanField()))
                            .order_by("-estimate_news", "due_at", "received_at"))
    return {"orders": rows, "counts": counts, "overdue": sum(row["overdue"] for row in counts),
            "total": sum(row["total"] for row in counts), "answered": sum(row["answered"] for row in counts)}


def estimate_news_q() -> Q:
    """Orders whose customer answered the estimate (approved or refused) and on which nobody has
    taken a step since: no workflow move, referral or note after the answer other than the answer's
    own note. Derived from the order's history, so the flag needs no column of its own and goes away
    by itself when anyone works on the order (or marks the answer as seen, ``estimate_answer_seen``)."""
    from django.contrib.contenttypes.models import ContentType

    later = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(RepairOrder), object_id=OuterRef("pk"),
        at__gte=OuterRef("estimate_answered_at")).exclude(data__has_key="estimate")
    return (Q(estimate_status__in=[RepairOrder.Estimate.APPROVED, RepairOrder.Estimate.REFUSED],
              estimate_answered_at__isnull=False) & ~Exists(later))


def estimate_is_news(order) -> bool:
    """Whether ``order`` carries a customer's answer to the estimate that no one has acted on yet."""
    return RepairOrder.objects.filter(estimate_news_q(), pk=order.pk).exists()


def parts_settled(order) -> bool:
    """Whether every part requested for the order is issued (or returned after issue) or cancelled."""
    return not order.part_lines.filter(status__in=_PARTS_WAITING).exists()


def repaired_by(order) -> set[int]:
    """Who repaired the order: the technicians of its operations and who sent it to its current step
    (the quality check), so that someone else checks the work."""
    people = set(order.operations.values_list("technician_id", flat=True))
    sent = (TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(RepairOrder),
                                         object_id=order.pk, target=order.state_id)
            .order_by("-at", "-pk").values_list("by_id", flat=True).first())
    if sent:
        people.add(sent)
    return people


def someone_else_checks(order, user) -> bool:
    """Whether ``user`` did not repair the order (the check needs a second pair of eyes)."""
    return getattr(user, "pk", None) not in repaired_by(order)


def may_see_center_cartable(user) -> bool:
    return user.is_superuser or user.groups.filter(
        name__in=[Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.SYSTEM_ADMIN, Role.RECEPTIONIST]).exists()


def may_take_from_pool(user) -> bool:
    return user.groups.filter(name__in=[Role.TECHNICIAN, Role.CENTER_MANAGER]).exists()


def cartable_scopes(user) -> list[str]:
    """The cartable's tabs for the user, the one that holds their work first: a technician's own
    orders (then the pool), the center's orders for receptionists and managers."""
    scopes = ["mine"]
    if may_take_from_pool(user):
        scopes.append("pool")
    if may_see_center_cartable(user):
        scopes.insert(0, "center")
    return scopes


def cartable_default_scope(user) -> str:
    """The tab a user lands on: the center's orders for those who see them; for a technician their
    own orders, or the pool when nothing is assigned to them."""
    scopes = cartable_scopes(user)
    if scopes[0] == "mine" and "pool" in scopes and not cartable(user, scope="mine")["total"]:
        return "pool"
    return scopes[0]


def order_timeline(order) -> list:
    """The order's steps (workflow moves, referrals, estimate answers), oldest first."""
    return subject_log(order)


@dataclass(frozen=True)
class Suggestion:
    """A technician who could take an order: their open orders and which of the needed skills they have."""

    user: object
    load: int
    skills: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def assignee_suggestions(order, *, user, limit: int = 5, fault_code_ids=None) -> list[Suggestion]:
    """Technicians of the order's center who service its product group (F18): first those who have the
    skills its faults need (``fault_code_ids``, or the faults already recorded), then the least loaded,
    then the most expert; home service orders go to staff who do home service where there are any."""
    group_id = order.product_model.group_id if order.product_model_id else None
    profiles = technicians_find(user=user, product_group_id=group_id).filter(center=order.center)
    if not profiles.exists() and group_id:
        profiles = technicians_find(user=user).filter(center=order.center)
    if order.kind == RepairOrder.Kind.HOME and profiles.filter(does_home_service=True).exists():
        profiles = profiles.filter(does_home_service=True)
    if fault_code_ids is None:
        fault_code_ids = list(order.faults.values_list("fault_code", flat=True)) if order.pk else []
    needed = skills_for_faults(fault_code_ids)
    profiles = list(profiles.select_related("user").prefetch_related(
        Prefetch("skills", queryset=StaffSkill.objects.filter(skill__in=list(needed)), to_attr="needed_skills"))[:50])
    load = dict(RepairOrder.objects.filter(assignee__in=[p.user for p in profiles], state__is_final=False)
                .values_list("assignee").annotate(n=Count("pk")))
    ranked = []
    for profile in profiles:
        has = {link.skill_id: link.level for link in profile.needed_skills}
        busy = load.get(profile.user_id, 0)
        ranked.append(((-len(has), busy, -sum(has.values()), str(profile.user)), Suggestion(
            user=profile.user, load=busy, skills=tuple(name for pk, name in needed.items() if pk in has),
            missing=tuple(name for pk, name in needed.items() if pk not in has))))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _rank, suggestion in ranked[:limit]]


def history(*, unit=None, customer=None):
    """Every visit of a unit or a customer, newest first, with everything recorded on it: faults
    (reported and found) and who recorded them, operations with their technician and minutes, parts
    with their serials, fate and price (F15, F20, F21, F27). A fixed number of queries, whatever the rows."""
    from .models import Operation, OrderFault

    orders = RepairOrder.objects.select_related(*_ORDER_ROWS)
    if unit is not None:
        orders = orders.filter(unit=unit)
    if customer is not None:
        orders = orders.filter(customer=customer)
    return orders.order_by("-received_at").prefetch_related(
        Prefetch("faults", queryset=OrderFault.objects.select_related("fault_code", "recorded_by")),
        Prefetch("operations", queryset=Operation.objects.select_related("service_item", "technician")),
        Prefetch("part_lines", queryset=PartLine.objects.select_related("spare_part")))


@dataclass(frozen=True)
class HistoryEntry:
    """One visit in a unit's or customer's timeline: a repair order or a periodic service."""

    on: datetime.date
    order: object = None
    visit: object = None
    facts: tuple = ()


def history_timeline(*, user, unit=None, customer=None, limit: int = 50, facts=None) -> list[HistoryEntry]:
    """The repair orders ``user`` may see and the periodic services given, of a unit or of a customer's
    units, newest first in one timeline (F15, F20, F27). ``facts(orders)`` adds what apps above
    repairs know of each order (its invoice, the survey answer) as ``{order_pk: [(label, text)]}``."""
    from aftersales.warranty.models import PeriodicService

    orders = list(history(unit=unit, customer=customer).filter(pk__in=orders_for(user).values("pk"))[:limit])
    known = facts(orders) if facts is not None and orders else {}
    visits = PeriodicService.objects.filter(done_on__isnull=False).select_related("performed_by", "unit")
    if unit is not None:
        visits = visits.filter(unit=unit)
    if customer is not None:
        visits = visits.filter(unit__owner=customer)
    entries = [HistoryEntry(on=timezone.localtime(order.received_at).date(), order=order,
                            facts=tuple(known.get(order.pk, ()))) for order in orders]
    entries += [HistoryEntry(on=visit.done_on, visit=visit) for visit in visits.order_by("-done_on")[:limit]]
    entries.sort(key=lambda entry: (entry.on, entry.order is not None), reverse=True)
    return entries[:limit]


def technician_performance(*, user, start: datetime.date | None = None, end: datetime.date | None = None,
                           center=None) -> list[dict]:
    """Per assignee, over orders received in a date range (F18), at one center or all the user's: orders
    handled and closed, overdue open ones, average time spent in each state (``minutes_per_state``;
    ``hours_per_state`` rounded), rework (sent back by quality control) and returns (the same unit back
    within 30 days of hand-back)."""
    orders = orders_for(user).filter(assignee__isnull=False)
    if center is not None:
        orders = orders.filter(center=center)
    if start:
        orders = orders.filter(received_at__date__gte=start)
    if end:
        orders = orders.filter(received_at__date__lte=end)
    now = timezone.now()
    rows = list(orders.values(
        "assignee", "assignee__first_name", "assignee__last_name", "assignee__username").annotate(
        handled=Count("pk"), closed=Count("pk", filter=Q(state__is_final=True)),
        overdue=Count("pk", filter=Q(state__is_final=False, due_at__lt=now)),
        returns=Count("pk", filter=Q(has_come_back=True)),  # kept by reception_create
    ).order_by("-handled"))
    owner = dict(orders.values_list("pk", "assignee"))
    logs = (TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(RepairOrder),
                                         object_id__in=list(owner))
            .select_related("target", "transition").order_by("object_id", "at", "pk"))
    spent: dict[int, dict[str, list[float]]] = {}
    rework: dict[int, int] = {}
    previous = None
    for entry in logs:
        assignee = owner[entry.object_id]
        if entry.transition is not None and entry.transition.code == "quality_failed":
            rework[assignee] = rework.get(assignee, 0) + 1
        if previous is not None and previous.object_id == entry.object_id and previous.target_id != entry.target_id:
            hours = (entry.at - previous.at).total_seconds() / 3600
            spent.setdefault(assignee, {}).setdefault(previous.target.name, []).append(hours)
        if previous is None or previous.object_id != entry.object_id or previous.target_id != entry.target_id:
            previous = entry
    for row in rows:
        person = row["assignee"]
        row["name"] = " ".join(part for part in (row["assignee__first_name"], row["assignee__last_name"]) if part) \
            or row["assignee__username"]
        row["rework"] = rework.get(person, 0)
        averages = {state: sum(values) / len(values) for state, values in spent.get(person, {}).items()}
        row["hours_per_state"] = {state: round(hours, 1) for state, hours in averages.items()}
        row["minutes_per_state"] = {state: round(hours * 60) for state, hours in averages.items()}
        open_orders = row["handled"] - row["closed"]
        row["overdue_share"] = round(100 * row["overdue"] / open_orders) if open_orders else 0
    return rows


def order_search(orders, *, q: str = "", state=None, kind: str = "", warranty: str = "", center=None, start=None,
                 end=None):
    """Orders by number, tracking code, serial or the customer's mobile, and the list's filters."""
    from aftersales.core.persian import digits_only, normalize_identifier
    from aftersales.core.validators import normalize_mobile

    query = (q or "").strip()
    if query:
        key = normalize_identifier(query)
        found = Q(number__endswith=digits_only(query)[-6:]) if digits_only(query) else Q(pk__in=[])
        found |= Q(tracking_code=key.upper()) | Q(serial=key) | Q(customer__mobile=normalize_mobile(query))
        orders = orders.filter(found)
    if state is not None:
        orders = orders.filter(state=state)
    if kind:
        orders = orders.filter(kind=kind)
    if warranty:
        orders = orders.filter(is_warranty=warranty == "yes")
    if center is not None:
        orders = orders.filter(center=center)
    if start:
        orders = orders.filter(received_at__date__gte=start)
    if end:
        orders = orders.filter(received_at__date__lte=end)
    return orders
