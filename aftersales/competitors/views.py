from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from aftersales.catalog.models import ProductModel
from aftersales.core import jalali
from aftersales.core.filters import id_or_none

from .selectors import price_comparison


@login_required
@permission_required("competitors.view_priceobservation", raise_exception=True)
def compare(request):
    """Our price against competitors' for one of our models, over time, as a chart and a table (F03)."""
    models = ProductModel.objects.filter(competing_products__isnull=False).distinct().select_related("brand")
    selected = models.filter(pk=id_or_none(request.GET.get("model"), ProductModel) or 0).first() or models.first()
    context = {"models": models, "selected": selected}
    if selected:
        data = price_comparison(product_model_id=selected.pk)
        days = sorted({day for day, _price in data["ours"]} | {day for rows in data["theirs"].values() for day, _price in rows})
        context["chart"] = {
            "labels": [jalali.format_date(day) for day in days],
            "series": [{"label": str(selected), "points": _step(days, data["ours"]), "ours": True}]
            + [{"label": label, "points": _points(days, rows), "ours": False} for label, rows in data["theirs"].items()],
        }
        context["rows"] = [(day, *[_at(day, series) for series in [data["ours"], *data["theirs"].values()]]) for day in days]
        context["columns"] = [str(selected), *data["theirs"].keys()]
    return render(request, "competitors/compare.html", context)


def _points(days, rows):
    prices = dict(rows)
    return [prices.get(day) for day in days]


def _step(days, rows):
    """Our price holds from its effective date until the next one."""
    points, current, prices = [], None, dict(rows)
    for day in days:
        current = prices.get(day, current)
        points.append(current)
    return points


def _at(day, rows):
    return dict(rows).get(day)


def compare_link_panel(request, record) -> dict | None:
    """A link to the price comparison chart on a competitor's, a competitor product's or one of our models'
    page, for those who may see prices; opened on the model in question."""
    if not request.user.has_perm("competitors.view_priceobservation"):
        return {"hidden": True}
    if isinstance(record, ProductModel):
        model_id = record.pk if record.competing_products.exists() else None
    elif hasattr(record, "our_model_id"):
        model_id = record.our_model_id
    else:
        model_id = record.products.exclude(our_model=None).values_list("our_model", flat=True).first()
    return {"compare_model": model_id}
