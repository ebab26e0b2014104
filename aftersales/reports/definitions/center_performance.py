"""center-performance (F37): each center over a period, ranked, with the network's total.

Receptions are the orders received in the period; hand-backs the orders handed back in it (their
turnaround is hand-back minus reception); open at the end are the orders received before the
period's end and not handed back or closed by then. An order handed back has been reworked if quality
control sent it back at least once, and has returned if the same unit was received again within 30
days of its hand-back; a first-time fix is a hand-back that did neither. Revenue is service invoices
(net of credit notes) issued in the period, payments taken in it, and what is still owed on the
period's invoices. Satisfaction is the average survey score (1–5) of surveys answered in the period;
NPS is promoters (9–10) minus detractors (0–6), in percent of answers.
"""

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from aftersales.core.expressions import Percentile, Seconds, sort_memory, with_grand_total
from aftersales.repairs.services import COME_BACK_DAYS

from ..periods import add_months, day_start, whole_months
from ..registry import Chart, Column, Report, Result, Table, register



def _orders(filters):
    from aftersales.repairs.models import RepairOrder

    return filters.scope(RepairOrder.objects.all(), model="product_model", technician="assignee",
                         warranty="is_warranty", kind="kind")


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _days(seconds):
    return round(seconds / 86400, 1) if seconds is not None else None


def build(filters, *, state_times: bool = True) -> Result:
    """The report; ``state_times=False`` leaves out the hours-per-state table (the dashboard reads only
    the total row, three times)."""
    from aftersales.billing.models import CenterBillingDay
    from aftersales.feedback.models import Survey
    from aftersales.organization.models import ServiceCenter
    from aftersales.repairs.models import CenterDay

    orders = _orders(filters)
    rows: dict[int, dict] = {}

    def row(center_id):
        return rows.setdefault(center_id, {"center_id": center_id})

    turnaround = Seconds(F("handed_back_at"), F("received_at"))
    handed = orders.filter(handed_back_at__gte=filters.since, handed_back_at__lt=filters.until)
    if filters.by_center_and_day_only:
        # The centers' days the services keep: a year at a thousand centers is ~365,000 small rows.
        days = filters.scope(CenterDay.objects.all(), date="day", date_is_day=True)
        totals = {"receptions": Sum("received"), "warranty": Sum("received_warranty"),
                  "handbacks": Sum("handed_back"), "seconds": Sum("turnaround_seconds"), "rework": Sum("reworked"),
                  "returns": Sum("come_back"), "first_time": Sum("first_time")}
        for entry in days.values("center").annotate(**totals).order_by():
            if entry["receptions"] or entry["handbacks"]:  # not a center whose only order was referred away
                row(entry["center"]).update({key: entry[key] for key in totals})
    else:
        received = orders.filter(received_at__gte=filters.since, received_at__lt=filters.until)
        for entry in received.values("center").annotate(
                receptions=Count("pk"), warranty=Count("pk", filter=Q(is_warranty=True))).order_by():
            row(entry["center"]).update(receptions=entry["receptions"], warranty=entry["warranty"])
        # Rework and come-back are flags the services keep on the order (repairs.services), so a year of a
        # million hand-backs is one scan, not a lookup per order.
        measures = {"handbacks": Count("pk"), "seconds": Sum(turnaround),
                    "rework": Count("pk", filter=Q(is_reworked=True)),
                    "returns": Count("pk", filter=Q(has_come_back=True)),
                    "first_time": Count("pk", filter=Q(is_reworked=False, has_come_back=False))}
        for entry in handed.values("center").annotate(**measures).order_by():
            row(entry["center"]).update({key: entry[key] for key in measures})
    # Percentiles need the hand-backs themselves: sorted in memory, the network's in the same pass.
    with sort_memory():
        centers, network_p90 = with_grand_total(
            handed.values("center").annotate(p90=Percentile(turnaround, 0.9)).order_by(), "center")
    for entry in centers:
        row(entry["center"])["p90"] = entry["p90"]
    # The network's counts add up from the centers; only its percentile needs the rows again.
    network = {key: sum(values.get(key) or 0 for values in rows.values())
               for key in ("handbacks", "seconds", "rework", "returns", "first_time")}
    if network_p90 is None and network["handbacks"]:  # not PostgreSQL: the network's percentile apart
        with sort_memory():
            network_p90 = handed.aggregate(p90=Percentile(turnaround, 0.9))
    network["p90"] = network_p90["p90"] if network_p90 else None

    # Open at the end: not handed back yet (and not closed), or handed back after the end; two counts that
    # each read an index of a few orders (the undelivered ones, the hand-backs since the end).
    before_end = orders.filter(received_at__lt=filters.until)
    for still_open in (before_end.filter(handed_back_at__isnull=True, state__is_final=False),
                       before_end.filter(handed_back_at__gte=filters.until)):
        for entry in still_open.values("center").annotate(open=Count("pk")).order_by():
            row(entry["center"])["open"] = row(entry["center"]).get("open", 0) + entry["open"]

    # Revenue from the centers' billing days the billing services keep (a day's invoices, credit notes
    # and payments; what is owed on the period's invoices is their standing total less what was paid on them).
    billing = filters.scope(CenterBillingDay.objects.all(), date="day", date_is_day=True)
    for entry in billing.values("center").annotate(invoiced=Sum("invoiced"), paid=Sum("paid"),
                                                   billed=Sum("standing_billed"), settled=Sum("standing_paid")).order_by():
        if any(entry[key] for key in ("invoiced", "paid", "billed", "settled")):
            row(entry["center"]).update(invoiced=entry["invoiced"], paid=entry["paid"],
                                        owed=entry["billed"] - entry["settled"])

    surveys = filters.scope(Survey.objects.filter(answered_at__isnull=False), date="answered_at",
                            model="product_model", technician="technician")
    votes = {"score": Avg("score"), "answers": Count("recommend"),
             "promoters": Count("pk", filter=Q(recommend__gte=9)), "detractors": Count("pk", filter=Q(recommend__lte=6))}
    for entry in surveys.values("center").annotate(**votes).order_by():
        row(entry["center"]).update({key: entry[key] for key in votes})
    network_votes = surveys.aggregate(**votes)

    rows.pop(None, None)
    names = dict(ServiceCenter.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    table_rows = [_finish(values, names.get(center_id, "")) for center_id, values in rows.items()]
    table_rows.sort(key=lambda r: (-(r["handbacks"] or 0), -(r["receptions"] or 0), r["center"]))
    for rank, values in enumerate(table_rows, start=1):
        values["rank"] = rank
        values["drill"] = {"center": values["center_id"]}
    total = _finish({key: sum(r.get(key) or 0 for r in rows.values()) for key in (
        "receptions", "warranty", "open", "invoiced", "paid", "owed")} | network | {
        key: network_votes[key] for key in votes}, str(_("whole network")))
    total["rank"] = None
    chart_rows = table_rows[:30]
    chart = Chart(kind="bar", title=str(_("Receptions and hand-backs per center")),
                  labels=[r["center"] for r in chart_rows],
                  series=[{"label": str(_("receptions")), "data": [r["receptions"] for r in chart_rows], "kind": "bar"},
                          {"label": str(_("hand-backs")), "data": [r["handbacks"] for r in chart_rows], "kind": "bar"}],
                  drill=[r["drill"] for r in chart_rows])
    tables = [Table("centers", str(_("Center performance")), COLUMNS, table_rows, total, link="center")]
    if state_times:
        tables.append(_state_times(filters, orders, names))
    return Result(tables=tables, chart=chart,
                  notes=[str(_("First-time fix: handed back without a quality-control rework and not received again "
                               "within %(days)s days.")) % {"days": COME_BACK_DAYS},
                         str(_("NPS: share of 9–10 answers minus share of 0–6 answers."))])


def _finish(values: dict, name: str) -> dict:
    receptions, handbacks = values.get("receptions") or 0, values.get("handbacks") or 0
    answers = values.get("answers") or 0
    return {
        "center_id": values.get("center_id"), "center": name, "receptions": receptions, "handbacks": handbacks,
        "open": values.get("open") or 0,
        "turnaround_days": _days(values["seconds"] / handbacks) if handbacks and values.get("seconds") is not None
        else None,
        "p90_days": _days(values.get("p90")),
        "first_time_fix": _share(values.get("first_time") or 0, handbacks),
        "rework": values.get("rework") or 0, "returns": values.get("returns") or 0,
        "warranty_share": _share(values.get("warranty") or 0, receptions),
        "invoiced": values.get("invoiced") or 0, "paid": values.get("paid") or 0, "owed": values.get("owed") or 0,
        "satisfaction": round(values["score"], 2) if values.get("score") is not None else None,
        "nps": round(100 * ((values.get("promoters") or 0) - (values.get("detractors") or 0)) / answers, 1)
        if answers else None,
    }


COLUMNS = [
    Column("rank", _("rank")), Column("center", _("service center"), "text"),
    Column("receptions", _("receptions")), Column("handbacks", _("hand-backs")), Column("open", _("open at the end")),
    Column("turnaround_days", _("average turnaround (days)"), "decimal"),
    Column("p90_days", _("90th percentile turnaround (days)"), "decimal"),
    Column("first_time_fix", _("first-time fix (%)"), "percent"), Column("rework", _("rework")),
    Column("returns", _("returned within 30 days")), Column("warranty_share", _("warranty share (%)"), "percent"),
    Column("invoiced", _("invoiced (rials)"), "money"), Column("paid", _("paid (rials)"), "money"),
    Column("owed", _("owed (rials)"), "money"), Column("satisfaction", _("satisfaction (1–5)"), "decimal"),
    Column("nps", _("NPS"), "decimal"),
]


def _state_times(filters, orders, names) -> Table:
    """Average hours an order spent in each state, per center, for moves made in the period (notes that
    move nothing carry no time and are left out). Whole Jalali months come from the centers' months the
    services keep (when nothing narrows below a center), the days around them from the moves."""
    from aftersales.repairs.models import CenterStateMonth
    from aftersales.workflow.models import State

    sums: dict[tuple[int, int], list[int]] = {}

    def add(center, state, seconds, moves):
        total = sums.setdefault((center, state), [0, 0])
        total[0] += seconds or 0
        total[1] += moves or 0

    ranges = [(filters.since, filters.until)]
    months = whole_months(filters.start, filters.end) if filters.by_center_and_day_only else []
    if months:
        for entry in (filters.scope(CenterStateMonth.objects.filter(month__in=months)).values("center", "state")
                      .annotate(seconds=Sum("seconds"), moves=Sum("moves")).order_by()):
            add(entry["center"], entry["state"], entry["seconds"], entry["moves"])
        ranges = [(filters.since, day_start(months[0])), (day_start(add_months(months[-1], 1)), filters.until)]
    for since, until in ranges:
        if since >= until:
            continue
        for entry in (orders.filter(transition_logs__at__gte=since, transition_logs__at__lt=until,
                                    transition_logs__seconds_in_source__isnull=False,
                                    transition_logs__source__isnull=False)
                      .values("center", "transition_logs__source")
                      .annotate(seconds=Sum("transition_logs__seconds_in_source"), moves=Count("transition_logs"))
                      .order_by()):
            add(entry["center"], entry["transition_logs__source"], entry["seconds"], entry["moves"])
    per_center: dict[int, dict] = {}
    used = set()
    for (center, state), (seconds, moves) in sums.items():
        if moves > 0:
            used.add(state)
            per_center.setdefault(center, {})[f"s{state}"] = round(seconds / moves / 3600, 1)
    states = list(State.objects.filter(pk__in=used).order_by("workflow", "order", "pk"))
    columns = [Column("center", _("service center"), "text")] + [Column(f"s{s.pk}", s.name, "hours") for s in states]
    missing = set(per_center) - set(names)
    if missing:
        from aftersales.organization.models import ServiceCenter

        names = {**names, **dict(ServiceCenter.objects.filter(pk__in=missing).values_list("pk", "name"))}
    rows = [{"center": names.get(center, ""), **values, "drill": {"center": center}}
            for center, values in sorted(per_center.items(), key=lambda item: names.get(item[0], ""))]
    return Table("state_hours", str(_("Average hours in each state")), columns, rows, link="center")


register(Report(
    slug="center-performance", title=_("Center performance"), subject=_("Workshop"),
    description=_("Receptions, hand-backs, turnaround, first-time fix, rework, revenue and satisfaction per center."),
    build=build, order=10,
))
