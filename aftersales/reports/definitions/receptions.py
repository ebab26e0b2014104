"""receptions-trend: receptions per Jalali period, warranty and paid apart, with the same period a year before."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from ..periods import Grain, bucket_case
from ..registry import TOTAL, Chart, Column, Report, Result, Table, register


def build(filters) -> Result:
    from aftersales.repairs.models import RepairOrder

    from aftersales.repairs.models import CenterDay

    found = filters.buckets(Grain.MONTH)
    if filters.by_center_and_day_only:  # the centers' days the services keep: ~365 rows a center a year
        days = filters.scope(CenterDay.objects.all(), date="day", date_is_day=True)
        counts = {entry["bucket"]: entry for entry in (
            days.annotate(bucket=bucket_case("day", found, is_date=True)).values("bucket")
            .annotate(receptions=Sum("received"), warranty=Sum("received_warranty")).order_by())}
    else:
        orders = filters.scope(RepairOrder.objects.all(), date="received_at", model="product_model",
                               technician="assignee", warranty="is_warranty", kind="kind")
        counts = {entry["bucket"]: entry for entry in (
            orders.annotate(bucket=bucket_case("received_at", found)).values("bucket")
            .annotate(receptions=Count("pk"), warranty=Count("pk", filter=Q(is_warranty=True))).order_by())}
    rows = []
    for bucket in found:
        entry = counts.get(bucket.index, {})
        receptions, warranty = entry.get("receptions", 0), entry.get("warranty", 0)
        rows.append({"period": bucket.label, "key": bucket.key, "receptions": receptions, "warranty": warranty,
                     "paid": receptions - warranty,
                     "drill": {"from": _day(max(bucket.start, filters.start)), "to": _day(min(bucket.last, filters.end))}})
    total = {"period": str(TOTAL), "receptions": sum(r["receptions"] for r in rows),
             "warranty": sum(r["warranty"] for r in rows), "paid": sum(r["paid"] for r in rows)}
    chart = Chart(kind="line" if len(rows) > 12 else "bar", title=str(_("Receptions")),
                  labels=[r["period"] for r in rows],
                  series=[{"label": str(_("under warranty")), "data": [r["warranty"] for r in rows], "kind": "bar",
                           "stack": "r"},
                          {"label": str(_("paid")), "data": [r["paid"] for r in rows], "kind": "bar", "stack": "r"}],
                  drill=[r["drill"] for r in rows])
    return Result(tables=[Table("periods", str(_("Receptions per period")), COLUMNS, rows, total, link="period")],
                  chart=chart)


def _day(value):
    from aftersales.core import jalali

    return jalali.format_date(value, latin_digits=True)


COLUMNS = [Column("period", _("period"), "text"), Column("receptions", _("receptions")),
           Column("warranty", _("under warranty")), Column("paid", _("paid"))]

register(Report(
    slug="receptions-trend", title=_("Receptions over time"), subject=_("Workshop"),
    description=_("Receptions per day, week, Jalali month, season or year, warranty and paid apart."),
    build=build, default_group_by=Grain.MONTH, order=5,
))
