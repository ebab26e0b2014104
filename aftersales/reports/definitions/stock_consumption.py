"""stock-consumption: parts consumed by repairs per Jalali period, shortages and slow movers.

Consumption is what the warehouses issued to repair orders in the period less what came back from
them (stock moves «issue to a repair order» and «return from a repair order»), in quantity and in
value at the moving-average cost, per Jalali month (or the period grain chosen). Shortages are the
stock levels at or below their minimum (a minimum above zero) as they stand now, with what open part
lines of the same center still ask for. Slow movers are parts on hand with no outgoing move (issue,
transfer out or a counting loss) in the 180 days before the period's end.
"""

import datetime

from django.db.models import F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core import jalali
from aftersales.organization.roles import Role

from ..periods import Grain, bucket_case
from ..registry import MANAGERS, Chart, Column, Report, Result, Table, register

SLOW_DAYS = 180
MAX_ROWS = 500


def build(filters) -> Result:
    rows = _consumption_rows(filters)
    return Result(tables=[_consumption(rows), _shortages(filters), _slow_movers(filters)], chart=_chart(rows),
                  notes=[str(_("Consumption: issues to repair orders less returns from them, at average cost.")),
                         str(_("Shortages are as they stand now; slow movers have had no outgoing move in the "
                               "%(days)s days before the end of the period.")) % {"days": SLOW_DAYS}])


def _moves(filters):
    from aftersales.stock.models import StockMove

    return filters.scope(StockMove.objects.all(), center="warehouse__center")


def _consumption_rows(filters) -> list[dict]:
    from aftersales.stock.models import StockMove

    found = filters.buckets(Grain.MONTH)
    moves = _moves(filters).filter(kind__in=(StockMove.Kind.ISSUE, StockMove.Kind.RETURN),
                                   at__gte=filters.since, at__lt=filters.until)
    sums = {entry["bucket"]: entry for entry in (
        moves.annotate(bucket=bucket_case("at", found)).values("bucket").annotate(
            issued=Sum("quantity", filter=Q(kind=StockMove.Kind.ISSUE)),
            returned=Sum("quantity", filter=Q(kind=StockMove.Kind.RETURN)),
            value=Sum("value")).order_by())}
    rows = []
    for bucket in found:
        entry = sums.get(bucket.index, {})
        issued, returned = -(entry.get("issued") or 0), entry.get("returned") or 0
        rows.append({"period": bucket.label, "key": bucket.key, "issued": issued, "returned": returned,
                     "quantity": issued - returned, "value": -(entry.get("value") or 0),
                     "drill": {"from": _day(max(bucket.start, filters.start)),
                               "to": _day(min(bucket.last, filters.end))}})
    return rows


def _day(value: datetime.date) -> str:
    return jalali.format_date(value, latin_digits=True)


def _consumption(rows) -> Table:
    total = {"period": str(_("whole period")), **{key: sum(r[key] for r in rows)
                                           for key in ("issued", "returned", "quantity", "value")}}
    columns = [Column("period", _("period"), "text"), Column("issued", _("issued to repairs")),
               Column("returned", _("returned from repairs")), Column("quantity", _("consumed")),
               Column("value", _("value consumed (rials)"), "money")]
    return Table("consumption", str(_("Parts consumed per period")), columns, rows, total, link="period")


def _chart(rows) -> Chart:
    return Chart(kind="bar", title=str(_("Value of parts consumed")), labels=[r["period"] for r in rows],
                 series=[{"label": str(_("value consumed (rials)")), "data": [r["value"] for r in rows],
                          "kind": "bar"}],
                 drill=[r["drill"] for r in rows])


def _levels(filters):
    from aftersales.stock.models import StockLevel

    return filters.scope(StockLevel.objects.all(), center="warehouse__center")


def _shortages(filters) -> Table:
    from aftersales.repairs.models import PartLine
    from aftersales.repairs.parts import OPEN

    levels = list(_levels(filters).filter(minimum__gt=0, quantity__lte=F("minimum"))
                  .select_related("warehouse", "warehouse__center", "spare_part")
                  .order_by("warehouse__center__name", "warehouse__name", "spare_part__code")[:MAX_ROWS])
    wanted = {(entry["order__center"], entry["spare_part"]): entry["wanted"] for entry in (
        PartLine.objects.filter(status__in=OPEN, spare_part__in={level.spare_part_id for level in levels},
                                order__center__in={level.warehouse.center_id for level in levels})
        .values("order__center", "spare_part").annotate(wanted=Sum(F("quantity") - F("issued_quantity"))).order_by())}
    rows = [{"code": level.spare_part.code, "part": level.spare_part.name, "warehouse": str(level.warehouse),
             "quantity": level.quantity, "minimum": level.minimum,
             "requested": wanted.get((level.warehouse.center_id, level.spare_part_id), 0),
             "drill": {"part": level.spare_part_id, "center": level.warehouse.center_id}} for level in levels]
    columns = [Column("code", _("part code"), "text"), Column("part", _("spare part"), "text"),
               Column("warehouse", _("warehouse"), "text"), Column("quantity", _("in stock")),
               Column("minimum", _("minimum level")), Column("requested", _("requested by open orders"))]
    return Table("shortages", str(_("Shortages")), columns, rows, link="part")


def _slow_movers(filters) -> Table:
    from aftersales.stock.models import StockMove

    since = filters.until - datetime.timedelta(days=SLOW_DAYS)
    last_out = (StockMove.objects.filter(warehouse=OuterRef("warehouse"), spare_part=OuterRef("spare_part"),
                                         quantity__lt=0, at__lt=filters.until)
                .values("spare_part").annotate(last=Max("at")).values("last"))
    levels = (_levels(filters).filter(quantity__gt=0).annotate(last_out=Subquery(last_out))
              .filter(Q(last_out__isnull=True) | Q(last_out__lt=since))
              .select_related("warehouse", "warehouse__center", "spare_part").order_by("-value", "pk")[:MAX_ROWS])
    rows = [{"code": level.spare_part.code, "part": level.spare_part.name, "warehouse": str(level.warehouse),
             "quantity": level.quantity, "value": level.value,
             "last_out": timezone.localdate(level.last_out) if level.last_out else None,
             "drill": {"part": level.spare_part_id, "center": level.warehouse.center_id}} for level in levels]
    columns = [Column("code", _("part code"), "text"), Column("part", _("spare part"), "text"),
               Column("warehouse", _("warehouse"), "text"), Column("quantity", _("in stock")),
               Column("value", _("value (rials)"), "money"), Column("last_out", _("last outgoing move"), "date")]
    return Table("slow_movers", str(_("Slow movers")), columns, rows, link="part")


register(Report(
    slug="stock-consumption", title=_("Stock consumption"), subject=_("Warehouse"),
    description=_("Parts consumed by repairs per Jalali month, shortages and slow movers."),
    build=build, roles=MANAGERS | {Role.WAREHOUSE_KEEPER, Role.ACCOUNTANT}, default_group_by=Grain.MONTH,
    filters=("center", "province"), order=50,
))
