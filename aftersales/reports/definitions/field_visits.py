"""field_visits (F59, the field side): the tours' visits per marketer, or per marketer and Jalali day, week or
month — stops planned, visited, skipped and still open, check-ins flagged far from the place, and the
approved visit expenses.

A stop counts on its tour day; a far check-in on its stop's day; an expense on the day it was spent. They
are scoped by the tour's (or the expense's) team, so a center manager counts their center's marketers and
head office and the marketing manager count everyone's. «Visit rate» is visited stops over planned stops.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from aftersales.organization.roles import Role

from ..periods import Grain, bucket_case
from ..registry import MANAGERS, TOTAL, Chart, Column, Report, Result, Table, register

CHART_SIZE = 20
COUNTS = ("stops", "visited", "skipped", "open", "far")


def _scoped(filters, queryset, *, center: str, date: str, marketer: str):
    queryset = filters.scope(queryset, center=center, date=date, date_is_day=True)
    if filters.marketer is not None:
        queryset = queryset.filter(**{marketer: filters.marketer.pk})
    return queryset


def _sources(filters):
    from aftersales.field.models import CheckIn, TourStop, VisitExpense

    stops = _scoped(filters, TourStop.objects.all(), center="day__tour__center", date="day__date",
                    marketer="day__tour__marketer")
    far = _scoped(filters, CheckIn.objects.filter(is_far=True), center="stop__day__tour__center",
                  date="stop__day__date", marketer="stop__day__tour__marketer")
    expenses = _scoped(filters, VisitExpense.objects.filter(status=VisitExpense.Status.APPROVED), center="center",
                       date="spent_on", marketer="marketer")
    return stops, far, expenses


STOP_MEASURES = {
    "stops": Count("pk"), "visited": Count("pk", filter=Q(status="visited")),
    "skipped": Count("pk", filter=Q(status="skipped")), "open": Count("pk", filter=Q(status="planned")),
}


def _names(user_ids) -> dict:
    from aftersales.organization.models import User

    return {user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=user_ids)}


def _rate(row: dict) -> float | None:
    return round(100 * row["visited"] / row["stops"], 1) if row["stops"] else None


def _empty() -> dict:
    return {**{key: 0 for key in COUNTS}, "expenses": 0}


def _collect(stops, far, expenses, *, bucket=None) -> dict:
    """Per (bucket, marketer) or per marketer: the counts and the approved amount."""
    rows: dict = {}

    def key(entry, marketer_field):
        return (entry["bucket"], entry[marketer_field]) if bucket else entry[marketer_field]

    def annotate(queryset, date):
        return queryset.annotate(bucket=bucket_case(date, bucket, is_date=True)) if bucket else queryset

    marketer_fields = ["bucket"] if bucket else []
    for entry in (annotate(stops, "day__date").values(*marketer_fields, "day__tour__marketer")
                  .annotate(**STOP_MEASURES).order_by()):
        if bucket and entry["bucket"] is None:
            continue
        row = rows.setdefault(key(entry, "day__tour__marketer"), _empty())
        for name in STOP_MEASURES:
            row[name] += entry[name]
    for entry in (annotate(far, "stop__day__date").values(*marketer_fields, "stop__day__tour__marketer")
                  .annotate(count=Count("pk")).order_by()):
        if bucket and entry["bucket"] is None:
            continue
        rows.setdefault(key(entry, "stop__day__tour__marketer"), _empty())["far"] += entry["count"]
    for entry in (annotate(expenses, "spent_on").values(*marketer_fields, "marketer")
                  .annotate(amount=Sum("amount")).order_by()):
        if bucket and entry["bucket"] is None:
            continue
        rows.setdefault(key(entry, "marketer"), _empty())["expenses"] += entry["amount"] or 0
    return rows


def build(filters) -> Result:
    stops, far, expenses = _sources(filters)
    group = filters.group_by or "marketer"
    nobody = str(_("not recorded"))
    if group in Grain.values:
        found = filters.buckets()
        collected = _collect(stops, far, expenses, bucket=found)
        names = _names({marketer for _bucket, marketer in collected})
        labels = {bucket.index: bucket.label for bucket in found}
        rows = sorted(({"period": labels[index], "order": index, "marketer": names.get(marketer, nobody), **values,
                        "rate": _rate(values)} for (index, marketer), values in collected.items()),
                      key=lambda row: (row["order"], row["marketer"]))
        per_bucket = {bucket.index: {"visited": 0, "skipped": 0, "open": 0} for bucket in found}
        for (index, _marketer), values in collected.items():
            for name in per_bucket[index]:
                per_bucket[index][name] += values[name]
        chart = Chart(kind="bar", title=str(_("Tour stops per period")), labels=[bucket.label for bucket in found],
                      series=[{"label": str(label), "data": [per_bucket[b.index][name] for b in found], "kind": "bar",
                               "stack": "s"} for name, label in SERIES])
        total = _total(collected.values())
        total.update(period=str(TOTAL), marketer="")
        return Result(tables=[Table("periods", str(_("Tour visits per period and marketer")),
                                    [Column("period", _("period"), "text"), *COLUMNS], rows, total)],
                      chart=chart, notes=NOTES)
    collected = _collect(stops, far, expenses)
    names = _names(collected)
    rows = sorted(({"marketer": names.get(marketer, nobody), **values, "rate": _rate(values)}
                   for marketer, values in collected.items()), key=lambda row: (-row["stops"], row["marketer"]))
    top = rows[:CHART_SIZE]
    chart = Chart(kind="bar", title=str(_("Tour stops per marketer")), labels=[row["marketer"] for row in top],
                  series=[{"label": str(label), "data": [row[name] for row in top], "kind": "bar", "stack": "s"}
                          for name, label in SERIES])
    total = _total(collected.values())
    total["marketer"] = str(TOTAL)
    return Result(tables=[Table("marketers", str(_("Tour visits per marketer")), COLUMNS, rows, total)],
                  chart=chart, notes=NOTES)


def _total(values) -> dict:
    total = _empty()
    for row in values:
        for name in total:
            total[name] += row[name]
    total["rate"] = _rate(total)
    return total


SERIES = (("visited", _("visited")), ("skipped", _("skipped")), ("open", _("not visited yet")))
COLUMNS = [
    Column("marketer", _("marketer"), "text"), Column("stops", _("stops planned")), Column("visited", _("visited")),
    Column("skipped", _("skipped")), Column("open", _("not visited yet")), Column("rate", _("visit rate (%)"), "percent"),
    Column("far", _("far check-ins")), Column("expenses", _("approved expenses (rials)"), "money"),
]
NOTES = [_("Stops of the marketers' tours on their tour days in the period; a far check-in is one sent farther from "
           "the place than the set distance; expenses are the approved ones, by the day they were spent.")]

register(Report(
    slug="field-visits", title=_("Tour visits"), subject=_("Marketing"),
    description=_("Tour stops planned, visited and skipped per marketer or per day, week or month, with far "
                  "check-ins and approved visit expenses."),
    build=build, roles=MANAGERS | {Role.MARKETING_MANAGER}, group_by=("marketer",), default_group_by="marketer",
    filters=("center", "province", "marketer"), drill="", landscape=True, order=82,
))
