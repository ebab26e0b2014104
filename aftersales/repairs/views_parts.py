"""Parts on the desk: the warehouse keeper's queue of part requests, and the actions on a part line
(issue, back-order, return, cancel, serials of the replaced part) from the queue or the order page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.stock.models import Warehouse
from aftersales.stock.selectors import warehouses_by_center

from . import parts
from .forms import PartIssueForm, PartNoteForm, PartReturnForm, PartSerialsForm
from .models import PartLine
from .selectors import orders_for

STOCK_ACTIONS = {"issue", "backorder", "return"}


def issue_form(line: PartLine, warehouses: list[Warehouse]) -> PartIssueForm:
    """The issue form of a line, offering the given warehouses of the order's center (the only one chosen)."""
    only = warehouses[0].pk if len(warehouses) == 1 else None
    form = PartIssueForm(initial={"quantity": line.outstanding, "version": line.version, "warehouse": only},
                         prefix=f"p{line.pk}")
    form.fields["warehouse"].choices = [("", "---------")] + [(w.pk, str(w)) for w in warehouses]
    return form


@login_required
@permission_required("stock.add_stockmove", raise_exception=True)
def parts_queue(request):
    """What waits for the warehouse: part requests still to issue at the user's centers (F12)."""
    lines = list(parts.parts_queue(request.user)[:200])
    warehouses = warehouses_by_center(line.order.center_id for line in lines)
    on_hand = _on_hand(lines)
    for line in lines:
        line.on_hand = on_hand.get((line.order.center_id, line.spare_part_id), 0)
    return render(request, "repairs/parts_queue.html", {
        "rows": [(line, issue_form(line, warehouses.get(line.order.center_id, []))) for line in lines]})


def _on_hand(lines) -> dict:
    """(center, part) → quantity in the center's warehouses, in one query for the whole queue."""
    from django.db.models import Sum

    from aftersales.stock.models import StockLevel

    rows = (StockLevel.objects.filter(warehouse__center_id__in={line.order.center_id for line in lines},
                                      spare_part_id__in={line.spare_part_id for line in lines})
            .values("warehouse__center_id", "spare_part_id").annotate(total=Sum("quantity")))
    return {(row["warehouse__center_id"], row["spare_part_id"]): row["total"] for row in rows}


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def issue_slip(request, pk):
    """The warehouse issue slip (حواله انبار) of an order: the parts issued to it, to print and sign."""
    from .selectors import orders_for as scoped_orders

    order = get_object_or_404(scoped_orders(request.user).select_related("center", "customer", "product_model"), pk=pk)
    lines = list(order.part_lines.filter(issued_quantity__gt=0)
                 .select_related("spare_part", "warehouse", "issued_by").order_by("issued_at", "pk"))
    return render(request, "repairs/issue_slip.html", {"order": order, "lines": lines})


@login_required
@require_POST
def part_action(request, pk, action):
    line = get_object_or_404(PartLine.objects.select_related("order"), pk=pk,
                             order__in=orders_for(request.user).values("pk"))
    needed = "stock.add_stockmove" if action in STOCK_ACTIONS else "repairs.change_repairorder"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    back = redirect("repairs:parts-queue") if request.POST.get("back") == "queue" else redirect("repairs:order", line.order_id)
    try:
        if action == "issue":
            form = PartIssueForm(request.POST, prefix=f"p{line.pk}")
            form.fields["warehouse"].queryset = Warehouse.objects.filter(center=line.order.center_id)
            data = _valid(form)
            parts.part_issue(line=line, warehouse=data["warehouse"], quantity=data["quantity"],
                             version=data["version"], acting_user=request.user)
        elif action == "backorder":
            parts.part_backorder(line=line, note=_valid(PartNoteForm(request.POST))["note"], acting_user=request.user)
        elif action == "return":
            data = _valid(PartReturnForm(request.POST, prefix=f"r{line.pk}"))
            parts.part_return(line=line, quantity=data["quantity"], version=data["version"], acting_user=request.user)
        elif action == "cancel":
            parts.part_cancel(line=line, acting_user=request.user)
        elif action == "serials":
            data = _valid(PartSerialsForm(request.POST, prefix=f"s{line.pk}"))
            parts.part_replacement_record(line=line, new_serial=data["new_serial"], old_serial=data["old_serial"],
                                          fate=data["fate"], acting_user=request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return back


def _valid(form) -> dict:
    if not form.is_valid():
        raise ValidationError([str(error) for errors in form.errors.values() for error in errors])
    return form.cleaned_data
