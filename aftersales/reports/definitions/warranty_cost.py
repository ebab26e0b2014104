"""warranty-cost: what the centers claim back for warranty work, per product model, and what head office
approved and rejected.

The claims are the warranty invoices issued in the period (a warranty invoice cancelled by a credit
note is left out); amounts are their lines' amounts before VAT, each line counted under the model of
its repair order. Head office decides each line: approved is the amount it allowed (the whole line,
or the lower amount of an adjusted one); rejected is what it refused (a rejected line whole, the cut
of an adjusted one); pending is the lines not decided yet, so claimed = approved + rejected + pending.
Units sold are the model's units with a sale date on record, whenever sold; the cost per thousand
units sold is the claimed amount per 1,000 of them, in rials.
"""

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from aftersales.organization.roles import Role

from ..registry import MANAGERS, TOTAL, Chart, Column, Report, Result, Table, register

CHART_BARS = 15


def _lines(filters):
    from aftersales.billing.models import Invoice, InvoiceLine

    return filters.scope(InvoiceLine.objects.filter(invoice__kind=Invoice.Kind.WARRANTY,
                                                    invoice__credit_notes__isnull=True),
                         center="invoice__center", date="invoice__issued_at", model="order__product_model",
                         technician="order__assignee", kind="order__kind")


MEASURES = {
    "claimed": Sum("amount"),
    "approved": Sum("decision__approved_amount"),
    "rejected": Sum(F("amount") - F("decision__approved_amount"), filter=Q(decision__isnull=False)),
    "pending": Sum("amount", filter=Q(decision__isnull=True)),
    "claims": Count("invoice", distinct=True),
    "orders": Count("order", distinct=True),
}


def _per_thousand(claimed, sold):
    return round(1000 * claimed / sold) if sold else None


def build(filters) -> Result:
    from aftersales.catalog.models import ProductModel, ProductUnit

    lines = _lines(filters)
    found = list(lines.values("order__product_model").annotate(**MEASURES).order_by())
    network = lines.aggregate(**MEASURES)
    model_ids = [entry["order__product_model"] for entry in found if entry["order__product_model"]]
    names = {model.pk: str(model) for model in ProductModel.objects.filter(pk__in=model_ids)}
    sold = dict(ProductUnit.objects.filter(sale_date__isnull=False, product_model__in=model_ids)
                .values("product_model").annotate(sold=Count("pk")).order_by().values_list("product_model", "sold"))
    rows = []
    for entry in found:
        model = entry["order__product_model"]
        values = {key: entry[key] or 0 for key in MEASURES}
        units = sold.get(model, 0)
        rows.append({"model": names.get(model) or str(_("unknown")), **values, "sold": units,
                     "per_thousand": _per_thousand(values["claimed"], units),
                     "drill": {"model": model} if model else None})
    rows.sort(key=lambda row: (-row["claimed"], row["model"]))
    units = sum(row["sold"] for row in rows)
    total = {"model": str(TOTAL), **{key: network[key] or 0 for key in MEASURES}, "sold": units}
    total["per_thousand"] = _per_thousand(total["claimed"], units)

    bars = rows[:CHART_BARS]
    chart = Chart(kind="bar", title=str(_("Approved and rejected per model")), labels=[row["model"] for row in bars],
                  series=[{"label": str(_("approved (rials)")), "kind": "bar",
                           "data": [row["approved"] for row in bars]},
                          {"label": str(_("rejected (rials)")), "kind": "bar",
                           "data": [row["rejected"] for row in bars]}],
                  drill=[row["drill"] for row in bars])
    return Result(tables=[Table("models", str(_("Warranty cost per model")), COLUMNS, rows, total, link="model")],
                  chart=chart,
                  notes=[str(_("Amounts before VAT, from warranty invoices issued in the period; rejected includes "
                               "the cut of adjusted lines, pending the lines not decided yet.")),
                         str(_("Units sold: the model's units with a sale date on record, whenever sold."))])


COLUMNS = [
    Column("model", _("product model"), "text"), Column("claimed", _("claimed (rials)"), "money"),
    Column("approved", _("approved (rials)"), "money"), Column("rejected", _("rejected (rials)"), "money"),
    Column("pending", _("pending (rials)"), "money"), Column("claims", _("claims")), Column("orders", _("orders")),
    Column("sold", _("units sold")), Column("per_thousand", _("claimed per 1,000 units sold (rials)"), "money"),
]

register(Report(
    slug="warranty-cost", title=_("Warranty cost"), subject=_("Warranty"),
    description=_("Claim-back amounts per model and per thousand units sold, approved against rejected."),
    build=build, roles=MANAGERS | {Role.ACCOUNTANT}, filters=("center", "province", "product_group", "model"),
    order=40,
))
