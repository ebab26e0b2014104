"""services (F39, F40): the services given in the period, in all the user's centers or the chosen one.

The operations counted are those performed in the period (the order's center, model, warranty and
kind filter them; the technician filter is the operation's technician). One row per service: how many
times it was done, on warranty and paid orders, the hours spent (the operations' minutes) and the
amount invoiced for them — every invoice line that bills one of these operations, whenever it was
issued, credit notes included, so a credited and re-issued line counts once. Grouped by center, kind
of service or warranty, the rows are per (group, service).
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from ..registry import DIMENSIONS, Chart, Column, Report, Result, Table, register

#: The dimensions this report groups by, and the operation's path to each.
GROUPS = {"center": "order__center", "kind": "order__kind", "warranty": "order__is_warranty"}
CHART_SIZE = 15


def operations(filters):
    from aftersales.repairs.models import Operation

    return filters.scope(Operation.objects.all(), center="order__center", date="performed_at",
                         model="order__product_model", technician="technician", warranty="order__is_warranty",
                         kind="order__kind")


def build(filters) -> Result:
    from aftersales.billing.models import InvoiceLine
    from aftersales.catalog.models import ServiceItem, ServiceType

    done = operations(filters)
    group = GROUPS.get(filters.group_by, "")
    keys = ["service_item", *([group] if group else [])]
    counts = {tuple(entry[key] for key in keys): entry for entry in (
        done.values(*keys).annotate(count=Count("pk"), warranty=Count("pk", filter=Q(order__is_warranty=True)),
                                    minutes=Sum("minutes")).order_by())}
    line_keys = [f"operation__{key}" for key in keys]
    amounts = {tuple(entry[key] for key in line_keys): entry["amount"] for entry in (
        InvoiceLine.objects.filter(operation__in=done.values("pk")).values(*line_keys)
        .annotate(amount=Sum("amount")).order_by())}
    items = {item.pk: item for item in ServiceItem.objects.filter(pk__in={key[0] for key in counts})}
    labels = _group_labels(filters.group_by, {key[1] for key in counts} if group else set())
    kinds = dict(ServiceType.choices)

    rows = []
    for key, entry in counts.items():
        item = items[key[0]]
        row = {"service_id": item.pk, "code": item.code, "service": item.title,
               "service_type": str(kinds.get(item.service_type, item.service_type)),
               "count": entry["count"], "warranty": entry["warranty"], "paid": entry["count"] - entry["warranty"],
               "hours": _hours(entry["minutes"]), "minutes": entry["minutes"] or 0,
               "invoiced": amounts.get(key) or 0, "drill": {"service": item.pk}}
        if group:
            row["group"] = labels.get(key[1], "")
            row["drill"].update(_group_drill(filters.group_by, key[1]))
        rows.append(row)
    rows.sort(key=lambda r: (r.get("group", ""), -r["count"], r["code"]))
    total = {"code": str(_("all services")), "count": sum(r["count"] for r in rows),
             "warranty": sum(r["warranty"] for r in rows), "paid": sum(r["paid"] for r in rows),
             "hours": _hours(sum(r["minutes"] for r in rows)), "invoiced": sum(r["invoiced"] for r in rows)}
    columns = ([Column("group", DIMENSIONS[filters.group_by], "text")] if group else []) + COLUMNS
    return Result(tables=[Table("services", str(_("Services given")), columns, rows, total, link="service")],
                  chart=_chart(rows),
                  notes=[str(_("Operations performed in the period; the amount is every invoice line billing them, "
                               "credit notes included."))])


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def _chart(rows) -> Chart:
    per_service: dict[int, dict] = {}
    for row in rows:
        entry = per_service.setdefault(row["service_id"], {"label": row["service"], "count": 0})
        entry["count"] += row["count"]
    top = sorted(per_service.items(), key=lambda item: -item[1]["count"])[:CHART_SIZE]
    return Chart(kind="bar", title=str(_("Most given services")), labels=[entry["label"] for _pk, entry in top],
                 series=[{"label": str(_("times given")), "data": [entry["count"] for _pk, entry in top],
                          "kind": "bar"}],
                 drill=[{"service": pk} for pk, _entry in top])


def _group_labels(group_by: str, values: set) -> dict:
    from aftersales.catalog.models import ServiceType

    if group_by == "center":
        from aftersales.organization.models import ServiceCenter

        return dict(ServiceCenter.objects.filter(pk__in=values).values_list("pk", "name"))
    if group_by == "kind":
        return {key: str(label) for key, label in ServiceType.choices}
    if group_by == "warranty":
        return {True: str(_("under warranty")), False: str(_("paid"))}
    return {}


def _group_drill(group_by: str, value) -> dict:
    if group_by == "warranty":
        return {"warranty": "yes" if value else "no"}
    return {group_by: value}


COLUMNS = [
    Column("code", _("service code"), "text"), Column("service", _("service"), "text"),
    Column("service_type", _("kind of service"), "text"), Column("count", _("times given")),
    Column("warranty", _("under warranty")), Column("paid", _("paid")), Column("hours", _("hours"), "hours"),
    Column("invoiced", _("invoiced (rials)"), "money"),
]

register(Report(
    slug="services", title=_("Services given"), subject=_("Workshop"),
    description=_("Services given in a period by service code, kind, warranty or paid: counts, hours and amounts."),
    build=build, group_by=tuple(GROUPS), order=30,
))
