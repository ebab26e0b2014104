"""The warehouse desk: stock and the shortage list, receipts, transfers, stock-takes and the ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.catalog.models import SparePart
from aftersales.core.filters import id_or_none

from . import selectors, services
from .forms import AdjustForm, LevelFilterForm, MinimumForm, ReceiptForm, TransferForm
from .models import Warehouse

ACTIONS = {
    "receive": (ReceiptForm, lambda data, user: services.stock_receive(
        warehouse=data["warehouse"], spare_part=data["spare_part"], quantity=data["quantity"],
        unit_cost=data["unit_cost"], reference=data["reference"], acting_user=user)),
    "transfer": (TransferForm, lambda data, user: services.stock_transfer(
        source=data["warehouse"], target=data["target"], spare_part=data["spare_part"], quantity=data["quantity"],
        reason=data["reason"], acting_user=user)),
    "adjust": (AdjustForm, lambda data, user: services.stock_adjust(
        warehouse=data["warehouse"], spare_part=data["spare_part"], counted=data["counted"], reason=data["reason"],
        acting_user=user)),
    "minimum": (MinimumForm, lambda data, user: services.stock_minimum_set(
        warehouse=data["warehouse"], spare_part=data["spare_part"], minimum=data["minimum"], acting_user=user)),
}


@login_required
@permission_required("stock.view_stocklevel", raise_exception=True)
def levels(request):
    warehouses = selectors.warehouses_for(request.user)
    filters = LevelFilterForm(request.GET or None, warehouses=warehouses)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.stock_levels(user=request.user, warehouse=data.get("warehouse"), query=data.get("q", ""),
                                  short_only=data.get("short", False))
    may_move = request.user.has_perm("stock.add_stockmove")
    forms = {name: form_class(warehouses=warehouses, prefix=name) for name, (form_class, _run) in ACTIONS.items()
             } if may_move else {}
    return render(request, "stock/levels.html", {
        "filters": filters, "page": Paginator(rows, 50).get_page(request.GET.get("page")), "forms": forms,
        "may_move": may_move})


@login_required
@permission_required("stock.add_stockmove", raise_exception=True)
@require_POST
def move(request, action):
    form_class, run = ACTIONS.get(action, (None, None))
    if form_class is None:
        return redirect("stock:levels")
    form = form_class(request.POST, warehouses=selectors.warehouses_for(request.user), prefix=action)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("stock:levels")
    try:
        run(form.cleaned_data, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("stock:levels")


@login_required
@permission_required("stock.view_stockmove", raise_exception=True)
def ledger(request):
    warehouses = selectors.warehouses_for(request.user)
    warehouse = warehouses.filter(pk=id_or_none(request.GET.get("warehouse"), Warehouse) or 0).first()
    part = SparePart.objects.filter(pk=id_or_none(request.GET.get("part"), SparePart) or 0).first()
    rows = selectors.stock_ledger(user=request.user, warehouse=warehouse, spare_part=part,
                                  reference=request.GET.get("reference", "").strip())
    return render(request, "stock/ledger.html", {"page": Paginator(rows, 50).get_page(request.GET.get("page")),
                                                 "warehouse": warehouse, "part": part})


