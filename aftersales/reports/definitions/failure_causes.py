"""failure-causes (F38): which faults break the products, which parts they take, and how often units fail.

The orders are those received in the period, narrowed by every report filter. A fault is counted once
per order and fault code: an order's codes are the ones the technician found when there is at least
one, otherwise the ones reported at reception (the technician's diagnosis replaces the customer's
words; a code both reported and found counts once). Faults written without a code are left out.
Shares are of all (order, fault code) pairs counted, so an order with two codes counts in both. The
drill-down behind a fault code lists the orders counted under it, by the same rule.

Grouped by product group, model, production batch or production month, each value has its own Pareto:
the shares and the cumulative share restart at every value. The product group is the model's own
group (not its parents); a batch is matched however it was written (its identifier key, as the drill-down
matches it); the production month is the Jalali month of the unit's production date.

Parts most replaced counts the part lines issued on those orders (issued quantity above zero) and the
quantity used (issued minus returned). The failure rate is, for each model and production month,
the units sold (a sale date on record, whenever sold) that came in for repair in the period, per
thousand units sold.
"""

import bisect
from collections import Counter

from django.db.models import Case, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from aftersales.core.expressions import sort_memory

from .. import periods
from ..periods import MAX_BUCKETS, Grain, add_months, bucket_case, buckets
from ..registry import TOTAL, Chart, Column, Report, Result, Table, register

DIMENSION_PATHS = {"product_group": "order__product_model__group", "model": "order__product_model",
                   "batch": "order__unit__batch_key", "production_month": "order__unit__production_date"}
#: The groupings the months of fault codes (repairs.FaultMonth) can give, and their paths there.
SUMMARY_PATHS = {"": "", "model": "product_model", "product_group": "product_model__group"}
CHART_BARS = 15
TOP_PARTS = 20
TOP_RATES = 50
MAX_ROWS = 1000


def _orders(filters):
    from aftersales.repairs.models import RepairOrder

    return filters.scope(RepairOrder.objects.all(), date="received_at", model="product_model",
                         technician="assignee", warranty="is_warranty", kind="kind")


def _counted():
    """The faults that count: per order, the found codes if any, else the reported ones."""
    from aftersales.repairs.models import OrderFault

    found = OrderFault.objects.filter(order=OuterRef("order"), source=OrderFault.Source.FOUND,
                                      fault_code__isnull=False)
    return OrderFault.objects.filter(fault_code__isnull=False).filter(
        Q(source=OrderFault.Source.FOUND) | ~Exists(found))


def counted_faults(orders):
    return _counted().filter(order__in=orders.values("pk"))


def has_counted_fault(fault_code_id: int):
    """True for an order counted under this fault code (for the drill-down: the orders behind a bar)."""
    return Exists(_counted().filter(order=OuterRef("pk"), fault_code=fault_code_id))


def month_buckets(queryset, field):
    """The Jalali months from the earliest to the latest ``field`` date in ``queryset`` (at most
    ``MAX_BUCKETS``, the latest kept)."""
    bounds = queryset.aggregate(first=Min(field), last=Max(field))
    if bounds["first"] is None:
        return []
    return buckets(max(bounds["first"], add_months(bounds["last"], 1 - MAX_BUCKETS)), bounds["last"], Grain.MONTH)


def month_case(field, found):
    """Each row's month index among ``found`` from the date ``field``; NULL outside them or without a date."""
    if not found:
        return Value(None, output_field=IntegerField())
    return Case(When(**{f"{field}__lt": found[0].start}, then=Value(None)),
                default=bucket_case(field, found, is_date=True), output_field=IntegerField())


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _pareto(counts: list[tuple[int, int]]) -> list[tuple[int, int, float, float]]:
    """(fault code, count) sorted by count, with share and cumulative share in percent."""
    counts = sorted(counts, key=lambda item: (-item[1], item[0]))
    whole, running, rows = sum(count for _code, count in counts), 0, []
    for code, count in counts:
        running += count
        rows.append((code, count, _share(count, whole), _share(running, whole)))
    return rows


def _kept_months(filters) -> list:
    """The whole Jalali months of the period the network's months (repairs.FaultMonth, PartMonth) answer
    for: none unless the report spans every center with no technician, warranty or kind filter."""
    if filters.center_ids() is not None or filters.province or filters.technician is not None or filters.warranty \
            or filters.kind:
        return []
    return periods.whole_months(filters.start, filters.end)


def _around(filters, months) -> list:
    """The stretches of the period before and after ``months``."""
    return [(filters.since, periods.day_start(months[0])),
            (periods.day_start(periods.add_months(months[-1], 1)), filters.until)]


def _counts(filters, orders, dimension):
    """({fault code: orders}, {dimension value: {fault code: orders}}, production months) of the period.
    Network-wide (every center, no technician, warranty or kind filter), overall or by model or product
    group, whole Jalali months come from the months of fault codes the services keep and only the days
    around them from the fault lines."""
    from aftersales.repairs.models import FaultMonth

    overall: Counter = Counter()
    per_value: dict = {}

    def add(value, code, count):
        if count:
            overall[code] += count
            if dimension:
                per_value.setdefault(value, Counter())[code] += count

    ranges = [(filters.since, filters.until)]
    whole_months = _kept_months(filters) if dimension in SUMMARY_PATHS else []
    if whole_months:
        rows = filters.scope(FaultMonth.objects.filter(month__in=whole_months), center=None, model="product_model")
        path = SUMMARY_PATHS[dimension]
        for entry in rows.values("fault_code", *([path] if path else [])).annotate(count=Sum("orders")).order_by():
            add(entry[path] if path else None, entry["fault_code"], entry["count"])
        ranges = _around(filters, whole_months)
    months = []
    for since, until in ranges:
        if since >= until:
            continue
        faults = counted_faults(orders.filter(received_at__gte=since, received_at__lt=until))
        if dimension == "production_month":
            months = month_buckets(faults, DIMENSION_PATHS[dimension])
            faults = faults.annotate(value=month_case(DIMENSION_PATHS[dimension], months))
        elif dimension:
            faults = faults.annotate(value=F(DIMENSION_PATHS[dimension]))
        for entry in (faults.values(*(["value"] if dimension else []), "fault_code")
                      .annotate(count=Count("order", distinct=True)).order_by()):
            value = entry.get("value")
            if dimension == "batch":
                value = value or None  # no unit, blank batch: unknown
            add(value, entry["fault_code"], entry["count"])
    return overall, per_value, months


def _dimension_values(dimension, keys, months):
    """{key: (label, sort key, drill)} for the values of a grouping found in the rows."""
    from aftersales.catalog.models import ProductGroup, ProductModel

    unknown = (str(_("unknown")), (1, ""), {})
    values = {}
    if dimension == "model":
        names = {model.pk: str(model) for model in ProductModel.objects.filter(pk__in=[k for k in keys if k])}
        for key in keys:
            values[key] = (names[key], (0, names[key]), {"model": key}) if key in names else unknown
    elif dimension == "product_group":
        groups = ProductGroup.objects.filter(pk__in=[k for k in keys if k]).select_related("parent")
        names = {group.pk: str(group) for group in groups}
        for key in keys:
            values[key] = (names[key], (0, names[key]), {"product_group": key}) if key in names else unknown
    elif dimension == "batch":
        for key in keys:
            values[key] = (key, (0, key), {"batch": key}) if key else unknown
    else:
        for key in keys:
            if key is None:
                values[key] = unknown
            else:
                month = months[key].key
                values[key] = (month, (0, month), {"production_month": month})
    return values


def build(filters) -> Result:
    from aftersales.catalog.models import FaultCode

    orders = _orders(filters)
    dimension = filters.group_by if filters.group_by in DIMENSION_PATHS else ""
    counts, per_value, months = _counts(filters, orders, dimension)
    overall = _pareto(list(counts.items()))
    whole = sum(row[1] for row in overall)
    codes = {code.pk: code for code in FaultCode.objects.filter(pk__in={row[0] for row in overall})}

    def line(code_id, count, share, cumulative, **extra):
        code = codes.get(code_id)
        return {**extra, "code": code.code if code else "", "fault": str(code) if code else "", "count": count,
                "share": share, "cumulative": cumulative}

    columns = list(COLUMNS)
    notes = [str(_("Each order counts once per fault code: the codes the technician found, or those reported at "
                   "reception when none was found. Shares are of all counted (order, fault code) pairs."))]
    if dimension:
        from ..registry import DIMENSIONS

        columns.insert(0, Column("value", DIMENSIONS[dimension], "text"))
        labels = _dimension_values(dimension, list(per_value), {bucket.index: bucket for bucket in months})
        rows = []
        for value in sorted(per_value, key=lambda key: labels[key][1]):
            label, _order, drill = labels[value]
            for code_id, count, share, cumulative in _pareto(list(per_value[value].items())):
                rows.append(line(code_id, count, share, cumulative, value=label,
                                 drill={**drill, "fault": code_id}))
    else:
        rows = [line(*row, drill={"fault": row[0]}) for row in overall]
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
        notes.append(str(_("Only the first %(rows)s rows are shown; narrow the filters to see the rest."))
                     % {"rows": MAX_ROWS})
    total = {"value": str(TOTAL) if dimension else "", "code": "" if dimension else str(TOTAL),
             "count": whole, "share": 100.0 if whole else None}

    bars = overall[:CHART_BARS]
    chart = Chart(kind="pareto", title=str(_("Fault codes (Pareto)")),
                  labels=[codes[row[0]].code for row in bars],
                  series=[{"label": str(_("orders")), "data": [row[1] for row in bars], "kind": "bar"},
                          {"label": str(_("cumulative share (%)")), "data": [row[3] for row in bars], "kind": "line",
                           "axis": "share"}],
                  drill=[{"fault": row[0]} for row in bars])
    return Result(tables=[Table("faults", str(_("Fault codes")), columns, rows, total, link="code"),
                          _parts(filters, orders), _rates(filters, orders)],
                  chart=chart, notes=notes)


def _parts(filters, orders) -> Table:
    """The parts issued most on the period's orders: network-wide, whole months from the months of spare
    parts the services keep and the days around them from the part lines."""
    from aftersales.catalog.models import SparePart
    from aftersales.repairs.models import PartLine, PartMonth

    used = Sum(F("issued_quantity") - F("returned_quantity"))
    months = _kept_months(filters)
    if months:
        totals: dict[int, list[int]] = {}
        kept = filters.scope(PartMonth.objects.filter(month__in=months), center=None, model="product_model")
        found = list(kept.values("spare_part").annotate(lines=Sum("lines"), quantity=Sum("quantity")).order_by())
        for since, until in _around(filters, months):
            if since < until:
                found += list(PartLine.objects.filter(
                    order__in=orders.filter(received_at__gte=since, received_at__lt=until).values("pk"),
                    issued_quantity__gt=0).values("spare_part").annotate(lines=Count("pk"), quantity=used).order_by())
        for entry in found:
            total = totals.setdefault(entry["spare_part"], [0, 0])
            total[0] += entry["lines"]
            total[1] += entry["quantity"]
        found = sorted(({"spare_part": part, "lines": lines, "quantity": quantity}
                        for part, (lines, quantity) in totals.items() if lines),
                       key=lambda entry: (-entry["lines"], -entry["quantity"], entry["spare_part"]))[:TOP_PARTS]
    else:
        found = list(PartLine.objects.filter(order__in=orders.values("pk"), issued_quantity__gt=0)
                     .values("spare_part").annotate(lines=Count("pk"), quantity=used)
                     .order_by("-lines", "-quantity", "spare_part")[:TOP_PARTS])
    names = {part.pk: part for part in SparePart.objects.filter(pk__in=[entry["spare_part"] for entry in found])}
    rows = [{"part_code": names[entry["spare_part"]].code, "part": names[entry["spare_part"]].name,
             "lines": entry["lines"], "quantity": entry["quantity"], "drill": {"part": entry["spare_part"]}}
            for entry in found]
    return Table("parts", str(_("Parts most replaced")), PART_COLUMNS, rows, link="part")


def _rates(filters, orders) -> Table:
    """Failures per thousand units sold, by model and production month (sold units only, both sides): the
    units repaired counted per model and production day in one query, the units sold read from the counts
    the catalog keeps (catalog.UnitsSold), both put into Jalali months here."""
    from aftersales.catalog.models import ProductModel, ProductUnit, UnitsSold

    with sort_memory():
        failed = list(ProductUnit.objects.filter(sale_date__isnull=False, pk__in=orders.filter(
            unit__isnull=False).values("unit")).values("product_model", "production_date")
            .annotate(units=Count("pk")).order_by())
    if not failed:
        return Table("rates", str(_("Failures per thousand units sold")), RATE_COLUMNS, [], link="model")
    dates = [entry["production_date"] for entry in failed if entry["production_date"]]
    months = buckets(max(min(dates), add_months(max(dates), 1 - MAX_BUCKETS)), max(dates), Grain.MONTH) if dates else []
    starts = [bucket.start for bucket in months]

    def month_of(day):
        if day is None or not months or day < starts[0] or day >= months[-1].end:
            return None
        return bisect.bisect_right(starts, day) - 1

    failures: Counter = Counter()
    for entry in failed:
        failures[entry["product_model"], month_of(entry["production_date"])] += entry["units"]
    sold_days = UnitsSold.objects.filter(product_model__in={model for model, _month in failures})
    if months:
        sold_days = sold_days.filter(Q(production_date__isnull=True) | Q(
            production_date__gte=months[0].start, production_date__lt=months[-1].end))
    sold: Counter = Counter()
    for model, produced, units in sold_days.values_list("product_model", "production_date", "units"):
        sold[model, month_of(produced)] += units
    names = {model.pk: str(model) for model in ProductModel.objects.filter(pk__in={key[0] for key in failures})}
    rows = []
    for (model, month), count in failures.items():
        units = sold.get((model, month), 0)
        key = months[month].key if month is not None else ""
        rows.append({"model": names.get(model, ""), "production_month": key or str(_("unknown")), "sold": units,
                     "failures": count, "rate": round(1000 * count / units, 1) if units else None,
                     "drill": {"model": model, **({"production_month": key} if key else {})}})
    rows.sort(key=lambda row: (-(row["rate"] or 0), -row["failures"], row["model"], row["production_month"]))
    return Table("rates", str(_("Failures per thousand units sold")), RATE_COLUMNS, rows[:TOP_RATES], link="model")


COLUMNS = [
    Column("code", _("fault code"), "text"), Column("fault", _("fault"), "text"), Column("count", _("orders")),
    Column("share", _("share (%)"), "percent"), Column("cumulative", _("cumulative share (%)"), "percent"),
]
PART_COLUMNS = [
    Column("part_code", _("part code"), "text"), Column("part", _("spare part"), "text"),
    Column("lines", _("part lines issued")), Column("quantity", _("quantity used")),
]
RATE_COLUMNS = [
    Column("model", _("product model"), "text"), Column("production_month", _("production month"), "text"),
    Column("sold", _("units sold")), Column("failures", _("units repaired")),
    Column("rate", _("failures per 1,000 sold"), "decimal"),
]

register(Report(
    slug="failure-causes", title=_("Causes of failure"), subject=_("Quality"),
    description=_("Pareto of fault codes by product group, model, batch or production month; parts most "
                  "replaced; failures per thousand units sold."),
    build=build, group_by=("product_group", "model", "batch", "production_month"), order=20,
))
