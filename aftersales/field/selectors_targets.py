"""Reads of marketing plans and their achievement (F46).

Achievement is computed live, never stored, so a percentage moves as soon as an invoice, a credit note,
a visit or a new customer arrives:

- **sales amount**: issued sales invoices less sales credit notes (the credit notes' amounts are
  negative, so one sum does both), before VAT, dated in the plan's range, attributed to the marketer of
  the document's customer's CRM party (``customer__party__marketer``). The marketer is read as it is now:
  a party moved to another marketer carries its history with it (its earlier invoices count for the new
  marketer, and no longer for the old one);
- **visits**: contacts of kind "visit" (in person) logged by the marketer in the range, the phone's
  check-ins among them (they log their outcome as such a contact);
- **new customers**: parties created in the range whose customer is no longer a lead and whose marketer
  is the marketer.

A target's region covers the regions below it (a province its cities and their districts), a territory
its regions and theirs; a target without a marketer counts the whole team (the plan's center's staff).
Each measure is ONE grouped query for all the plan's marketers (grouped by marketer, customer type and
region); the targets are then matched in Python against the few grouped rows, so the cost does not grow
with the number of targets.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from aftersales.crm.models import Party
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import scope_queryset
from aftersales.regions.models import Region
from aftersales.sales.models import SalesDocument

from .models import Target, TargetPlan

#: At most this many targets get a day-by-day series for the plan's chart.
CHART_TARGETS = 60


def can_see_all_targets(user) -> bool:
    """A manager sees every target of a plan they may see; a marketer (visitor) only their own."""
    return user.has_perm("field.change_targetplan") or user.has_perm("field.add_targetplan")


def plan_list(*, user, query: str = "", current: bool = False):
    """The plans the user may see (their teams', or all for head office), newest first; a marketer sees the
    plans naming them."""
    plans = scope_queryset(TargetPlan.objects.select_related("center"), user)
    if not can_see_all_targets(user):
        plans = plans.filter(pk__in=Target.objects.filter(marketer=user).values("plan"))
    if query:
        plans = plans.filter(name__icontains=query)
    if current:
        today = timezone.localdate()
        plans = plans.filter(start_date__lte=today, end_date__gte=today)
    return plans.order_by("-start_date", "-pk")


def plan_targets(plan: TargetPlan, user) -> list[Target]:
    """The plan's targets the user may see, with what they name."""
    targets = plan.targets.select_related("marketer", "region", "territory", "party_type")
    if not can_see_all_targets(user):
        targets = targets.filter(marketer=user)
    return list(targets.order_by("metric", "marketer__last_name", "marketer__username", "pk"))


def _bounds(plan: TargetPlan) -> tuple[datetime.datetime, datetime.datetime]:
    """The plan's first and day-after-last moments in Tehran (its days are Tehran's)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(plan.start_date, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(plan.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def _marketer_filter(plan: TargetPlan, targets: list[Target]):
    """The marketers whose work counts: the targets' own, or the whole team when a target names none."""
    if any(target.marketer_id is None for target in targets):
        return get_user_model().objects.filter(centers=plan.center_id).values("pk")
    return sorted({target.marketer_id for target in targets})


def _grouped(metric: str, plan: TargetPlan, marketers, *, by_day: bool = False, by_type: bool = True,
             by_region: bool = True):
    """ONE grouped query: (marketer ``who``, customer type ``ptype``, region ``place``[, ``day``]) → ``value``.

    The type and the region are grouped on only when a target asks for them (``by_type``, ``by_region``):
    a plan of marketers' targets alone groups a year of invoices into one row per marketer, not one per
    marketer, type and city.
    """
    if metric == Target.Metric.SALES_AMOUNT:
        rows = SalesDocument.objects.filter(
            kind__in=(SalesDocument.Kind.INVOICE, SalesDocument.Kind.CREDIT),
            issued_on__gte=plan.start_date, issued_on__lte=plan.end_date,
            customer__party__marketer__in=marketers)
        keys = {"who": F("customer__party__marketer"), "ptype": F("customer__party__party_type"),
                "place": F("customer__party__region")}
        if by_day:
            keys["day"] = F("issued_on")
        value = Sum(F("subtotal") - F("discount"))
    else:
        start, end = _bounds(plan)
        zone = timezone.get_current_timezone()
        if metric == Target.Metric.VISITS:
            rows = Contact.objects.filter(kind=Contact.Kind.VISIT, occurred_at__gte=start, occurred_at__lt=end,
                                          logged_by__in=marketers)
            keys = {"who": F("logged_by"), "ptype": F("customer__party__party_type"),
                    "place": F("customer__party__region")}
            moment = "occurred_at"
        else:
            rows = Party.objects.filter(created_at__gte=start, created_at__lt=end, customer__is_lead=False,
                                        marketer__in=marketers)
            keys = {"who": F("marketer"), "ptype": F("party_type"), "place": F("region")}
            moment = "created_at"
        if by_day:
            keys["day"] = TruncDate(moment, tzinfo=zone)
        value = Count("pk")
    names = ["who", *(["ptype"] if by_type else []), *(["place"] if by_region else []), *(["day"] if by_day else [])]
    values = rows.values(**{name: keys[name] for name in names}).annotate(value=value).order_by()
    # Tuples (who, type, region, day, value), the dimensions not grouped on left None: cheaper than dicts.
    for row in values.values_list(*names, "value"):
        found = dict(zip(names, row))
        yield (found["who"], found.get("ptype"), found.get("place"), found.get("day"), row[-1] or 0)


class _Regions:
    """The region tree in memory (a few thousand rows at most): which regions each region lies in."""

    def __init__(self):
        self._parent = None  # read on the first region asked about: a plan without region targets never reads it
        self._above: dict[int | None, frozenset] = {None: frozenset()}
        self._territories: dict[int, frozenset] = {}

    def above(self, region_id) -> frozenset:
        """The region and every region it is part of."""
        if region_id not in self._above:
            if self._parent is None:
                self._parent = dict(Region.objects.values_list("pk", "parent_id"))
            chain, current = [], region_id
            while current is not None and current not in chain:
                chain.append(current)
                current = self._parent.get(current)
            self._above[region_id] = frozenset(chain)
        return self._above[region_id]

    def territory(self, territory_id) -> frozenset:
        if territory_id not in self._territories:
            from aftersales.regions.models import SalesTerritory

            self._territories[territory_id] = frozenset(
                SalesTerritory.regions.through.objects.filter(salesterritory_id=territory_id)
                .values_list("region_id", flat=True))
        return self._territories[territory_id]


WHO, TYPE, PLACE, DAY, VALUE = range(5)


def _matcher(target: Target, regions: _Regions):
    """A test of a grouped row for ``target``'s type, region and territory; None when it filters on none."""
    party_type, region, territory = target.party_type_id, target.region_id, target.territory_id
    if party_type is None and region is None and territory is None:
        return None
    covered = regions.territory(territory) if territory is not None else None

    def matches(row) -> bool:
        if party_type is not None and row[TYPE] != party_type:
            return False
        if region is not None and region not in regions.above(row[PLACE]):
            return False
        return covered is None or bool(covered & regions.above(row[PLACE]))

    return matches


def _sum(rows, target: Target, regions: _Regions) -> int:
    matches = _matcher(target, regions)
    if matches is None:
        return sum(row[VALUE] for row in rows)
    return sum(row[VALUE] for row in rows if matches(row))


def _by_marketer(rows) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[WHO]].append(row)
    return grouped


def _dimensions(targets: list[Target]) -> dict:
    """Group on the customer type and the region only when one of ``targets`` filters on them."""
    return {"by_type": any(target.party_type_id is not None for target in targets),
            "by_region": any(target.region_id is not None or target.territory_id is not None for target in targets)}


def _team_rows(rows: dict, team: set) -> list[tuple]:
    """The team members' rows added up per type, region (and day): what a target without a marketer reads."""
    merged = defaultdict(int)
    for marketer, group in rows.items():
        if marketer in team:
            for row in group:
                merged[(None, row[TYPE], row[PLACE], row[DAY])] += row[VALUE]
    return [(*key[:VALUE], value) for key, value in merged.items()]


@dataclass
class Achievement:
    """One target's figures: the target, what was achieved, the percentage and the straight-line pace."""

    target: Target
    achieved: int
    expected: int  # what the straight line from the plan's start asks for by today
    series: list = field(default_factory=list)  # cumulative achievement per day so far (charted targets)

    @property
    def value(self) -> int:
        return self.target.value

    @property
    def percent(self) -> float:
        return round(100 * self.achieved / self.target.value, 1)

    @property
    def bar_percent(self) -> int:
        return max(0, min(100, round(self.percent)))

    @property
    def pace_percent(self) -> float:
        return round(100 * self.expected / self.target.value, 1)

    @property
    def ahead(self) -> bool:
        return self.achieved >= self.expected


def elapsed_share(plan: TargetPlan, today: datetime.date | None = None) -> float:
    """The share of the plan's days gone by today (today counted), between 0 and 1."""
    today = today or timezone.localdate()
    days = (plan.end_date - plan.start_date).days + 1
    gone = min(max((today - plan.start_date).days + 1, 0), days)
    return gone / days


def plan_days(plan: TargetPlan) -> list[datetime.date]:
    return [plan.start_date + datetime.timedelta(days=n) for n in range((plan.end_date - plan.start_date).days + 1)]


def _member_ids(plan: TargetPlan) -> set:
    return set(get_user_model().objects.filter(centers=plan.center_id).values_list("pk", flat=True))


def achievement(plan: TargetPlan, targets: list[Target], *, today: datetime.date | None = None,
                series: bool = False) -> list[Achievement]:
    """The achievement of ``targets`` (of ``plan``), in their order: one grouped query per measure.

    With ``series``, also each target's cumulative achievement per day (one more grouped query per
    measure, for the first ``CHART_TARGETS`` targets), for the chart against the straight-line pace.
    """
    today = today or timezone.localdate()
    share = elapsed_share(plan, today)
    regions = _Regions()
    results = {}
    team = None
    by_metric = defaultdict(list)
    for target in targets:
        by_metric[target.metric].append(target)
    for metric, metric_targets in by_metric.items():
        rows = _by_marketer(_grouped(metric, plan, _marketer_filter(plan, metric_targets), **_dimensions(metric_targets)))
        merged = None
        for target in metric_targets:
            if target.marketer_id is not None:
                candidates = rows.get(target.marketer_id, ())
            else:
                if merged is None:
                    team = team if team is not None else _member_ids(plan)
                    merged = _team_rows(rows, team)
                candidates = merged
            achieved = _sum(candidates, target, regions)
            results[target.pk] = Achievement(target=target, achieved=int(achieved),
                                             expected=round(target.value * share))
    if series:
        days = plan_days(plan)
        charted = targets[:CHART_TARGETS]
        for metric in {target.metric for target in charted}:
            metric_targets = [target for target in charted if target.metric == metric]
            rows = _by_marketer(_grouped(metric, plan, _marketer_filter(plan, metric_targets), by_day=True,
                                         **_dimensions(metric_targets)))
            for target in metric_targets:
                if target.marketer_id is not None:
                    candidates = rows.get(target.marketer_id, ())
                else:
                    team = team if team is not None else _member_ids(plan)
                    candidates = _team_rows(rows, team)
                daily = defaultdict(int)
                matches = _matcher(target, regions)
                for row in candidates:
                    if matches is None or matches(row):
                        day = row[DAY]
                        day = day.date() if isinstance(day, datetime.datetime) else day
                        daily[day] += int(row[VALUE])
                running, points = 0, []
                for day in days:
                    running += daily.get(day, 0)
                    points.append(running if day <= today else None)  # the days to come are not drawn
                results[target.pk].series = points
    return [results[target.pk] for target in targets]


def _label(target: Target) -> str:
    return str(target.region or target.territory or "")


def rollups(achievements: list[Achievement]) -> dict:
    """The plan's figures rolled up per marketer and per region or territory, for each measure.

    A roll-up adds the targets it contains (and their achievement); a team target (no marketer) is its
    own line, never added to the marketers' lines.
    """
    marketers, places = {}, {}
    for item in achievements:
        target = item.target
        for key, bucket, name in ((target.marketer_id, marketers, target.marketer),
                                  ((target.region_id, target.territory_id), places, _label(target))):
            if key is None or key == (None, None):
                continue
            line = bucket.setdefault((key, target.metric), {
                "name": name, "metric": target.metric, "metric_label": target.get_metric_display(), "value": 0,
                "achieved": 0, "expected": 0})
            line["value"] += target.value
            line["achieved"] += item.achieved
            line["expected"] += item.expected
    for bucket in (marketers, places):
        for line in bucket.values():
            line["percent"] = round(100 * line["achieved"] / line["value"], 1) if line["value"] else 0
            line["bar_percent"] = max(0, min(100, round(line["percent"])))
            line["ahead"] = line["achieved"] >= line["expected"]
    order = list(Target.Metric.values)
    return {"marketers": sorted(marketers.values(), key=lambda line: (order.index(line["metric"]), str(line["name"]))),
            "regions": sorted(places.values(), key=lambda line: (order.index(line["metric"]), line["name"]))}


def network(*, user, today: datetime.date | None = None) -> dict:
    """The plans running today that the user may see (all for head office, a team's for its manager),
    each with its per-measure totals: the marketers' targets and their achievement, added up."""
    today = today or timezone.localdate()
    plans = list(plan_list(user=user).filter(start_date__lte=today, end_date__gte=today))
    totals = {metric: {"metric": metric, "metric_label": label, "value": 0, "achieved": 0, "expected": 0}
              for metric, label in Target.Metric.choices}
    lines = []
    for plan in plans:
        items = achievement(plan, plan_targets(plan, user), today=today)
        per_metric = {}
        for item in items:
            if item.target.marketer_id is None:
                continue
            line = per_metric.setdefault(item.target.metric, {"value": 0, "achieved": 0, "expected": 0})
            for name in ("value", "achieved", "expected"):
                line[name] += getattr(item, name)
                totals[item.target.metric][name] += getattr(item, name)
        for line in per_metric.values():
            line["percent"] = round(100 * line["achieved"] / line["value"], 1) if line["value"] else 0
        lines.append({"plan": plan, "metrics": per_metric})
    for line in totals.values():
        line["percent"] = round(100 * line["achieved"] / line["value"], 1) if line["value"] else 0
        line["bar_percent"] = max(0, min(100, round(line["percent"])))
    return {"plans": lines, "totals": [line for line in totals.values() if line["value"]]}


def my_targets(*, user, today: datetime.date | None = None) -> list[dict]:
    """The marketer's own targets in the plans running today, with their achievement."""
    today = today or timezone.localdate()
    plans = scope_queryset(TargetPlan.objects.select_related("center"), user).filter(
        start_date__lte=today, end_date__gte=today, targets__marketer=user).distinct()
    result = []
    for plan in plans:
        targets = list(plan.targets.filter(marketer=user).select_related("region", "territory", "party_type"))
        result.append({"plan": plan, "items": achievement(plan, targets, today=today)})
    return result
