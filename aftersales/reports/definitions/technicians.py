"""technicians (F18): per technician and per center, with the network's total.

A technician's orders are the orders received in the period that are assigned to them, at each center:
handled (all of them), closed (in a final state now), overdue (the share of the still-open ones whose
due time has passed), rework (sent back by quality control at least once). Hours are the minutes of
the operations they performed in the period; labour invoiced the labour invoice lines of their
operations issued in the period, net of credit notes; satisfaction the average survey score (1–5)
of the surveys about them answered in the period.
"""

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..registry import Chart, Column, Report, Result, Table, register

CHART_SIZE = 20


def build(filters) -> Result:
    from aftersales.billing.models import InvoiceLine
    from aftersales.feedback.models import Survey
    from aftersales.organization.models import ServiceCenter, User
    from aftersales.repairs.models import Operation, RepairOrder

    rows: dict[tuple[int, int], dict] = {}

    def row(center_id, user_id):
        return rows.setdefault((center_id, user_id), {})

    now = timezone.now()
    orders = filters.scope(RepairOrder.objects.filter(assignee__isnull=False), date="received_at",
                           model="product_model", technician="assignee", warranty="is_warranty", kind="kind")
    measures = {"handled": Count("pk"), "closed": Count("pk", filter=Q(state__is_final=True)),
                "open": Count("pk", filter=Q(state__is_final=False)),
                "overdue": Count("pk", filter=Q(state__is_final=False, due_at__lt=now)),
                "rework": Count("pk", filter=Q(is_reworked=True))}
    for entry in orders.values("center", "assignee").annotate(**measures).order_by():
        row(entry["center"], entry["assignee"]).update({key: entry[key] for key in measures})
    network = orders.aggregate(**measures)

    done = filters.scope(Operation.objects.all(), center="order__center", date="performed_at",
                         model="order__product_model", technician="technician", warranty="order__is_warranty",
                         kind="order__kind")
    for entry in done.values("order__center", "technician").annotate(minutes=Sum("minutes")).order_by():
        row(entry["order__center"], entry["technician"])["minutes"] = entry["minutes"]

    labour = filters.scope(InvoiceLine.objects.filter(kind=InvoiceLine.Kind.LABOUR, operation__isnull=False),
                           center="invoice__center", date="invoice__issued_at", model="order__product_model",
                           technician="operation__technician", warranty="order__is_warranty", kind="order__kind")
    for entry in labour.values("invoice__center", "operation__technician").annotate(amount=Sum("amount")).order_by():
        row(entry["invoice__center"], entry["operation__technician"])["labour"] = entry["amount"]

    surveys = filters.scope(Survey.objects.filter(answered_at__isnull=False, technician__isnull=False,
                                                  score__isnull=False),
                            date="answered_at", model="product_model", technician="technician")
    for entry in surveys.values("center", "technician").annotate(score=Avg("score"), answers=Count("pk")).order_by():
        row(entry["center"], entry["technician"]).update(score=entry["score"])
    network_score = surveys.aggregate(score=Avg("score"))["score"]

    rows = {key: values for key, values in rows.items() if None not in key}
    centers = dict(ServiceCenter.objects.filter(pk__in={key[0] for key in rows}).values_list("pk", "name"))
    people = {person.pk: person.get_full_name() or person.username
              for person in User.objects.filter(pk__in={key[1] for key in rows})}
    table_rows = []
    for (center_id, user_id), values in rows.items():
        finished = _finish(values)
        finished.update(center=centers.get(center_id, ""), technician=people.get(user_id, ""),
                        drill={"technician": user_id, "center": center_id})
        table_rows.append(finished)
    table_rows.sort(key=lambda r: (r["center"], -r["handled"], r["technician"]))
    total = _finish({**network, "minutes": sum(values.get("minutes") or 0 for values in rows.values()),
                     "labour": sum(values.get("labour") or 0 for values in rows.values()), "score": network_score})
    total.update(center=str(_("whole network")), technician="")
    top = sorted(table_rows, key=lambda r: (-r["handled"], -r["closed"]))[:CHART_SIZE]
    chart = Chart(kind="bar", title=str(_("Orders handled and closed per technician")),
                  labels=[f"{r['technician']} ({r['center']})" for r in top],
                  series=[{"label": str(_("handled")), "data": [r["handled"] for r in top], "kind": "bar"},
                          {"label": str(_("closed")), "data": [r["closed"] for r in top], "kind": "bar"}],
                  drill=[r["drill"] for r in top])
    return Result(tables=[Table("technicians", str(_("Technicians")), COLUMNS, table_rows, total,
                                link="technician")],
                  chart=chart,
                  notes=[str(_("Orders received in the period and assigned to the technician; overdue: share of "
                               "the open ones past their due time now; hours and labour: their operations."))])


def _finish(values: dict) -> dict:
    still_open = values.get("open") or 0
    score = values.get("score")
    return {
        "handled": values.get("handled") or 0, "closed": values.get("closed") or 0,
        "overdue_share": round(100 * (values.get("overdue") or 0) / still_open, 1) if still_open else None,
        "rework": values.get("rework") or 0, "hours": round((values.get("minutes") or 0) / 60, 1),
        "labour": values.get("labour") or 0, "satisfaction": round(score, 2) if score is not None else None,
    }


COLUMNS = [
    Column("center", _("service center"), "text"), Column("technician", _("technician"), "text"),
    Column("handled", _("orders handled")), Column("closed", _("closed")),
    Column("overdue_share", _("overdue share of the open (%)"), "percent"), Column("rework", _("rework")),
    Column("hours", _("hours"), "hours"), Column("labour", _("labour invoiced (rials)"), "money"),
    Column("satisfaction", _("satisfaction (1–5)"), "decimal"),
]

register(Report(
    slug="technicians", title=_("Technicians"), subject=_("Workshop"),
    description=_("Orders handled and closed, overdue share, rework, hours, labour invoiced and satisfaction per "
                  "technician and center."),
    build=build, order=35,
))
