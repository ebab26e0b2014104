"""Pages of the after-sales service contracts' units (F25): a contract's units by serial, added one by one
or pasted; and the panels that show a unit's service contract at reception, on a repair order and on the
unit's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.organization.scoping import scope_queryset

from . import selectors_coverage as selectors
from . import services_coverage as services
from .forms_coverage import UnitAddForm, UnitsBulkForm
from .models import Contract, ContractUnit

PAGE_SIZE = 25


def _contract(request, pk) -> Contract:
    if not 0 < int(pk) < 2**63:
        raise PermissionDenied
    contracts = Contract.objects.filter(kind=Contract.Kind.SERVICE).select_related("customer", "center")
    return get_object_or_404(scope_queryset(contracts, request.user), pk=pk)


def terms(contract: Contract, covered: ContractUnit | None = None) -> dict:
    """The contract's service terms as a person reads them: visits left, parts, response time."""
    left = None
    if contract.visits_included and covered is not None:
        left = max(contract.visits_included - covered.visits_used, 0)
    return {"visits_included": contract.visits_included, "visits_left": left,
            "visits_used": covered.visits_used if covered is not None else None,
            "parts_covered": contract.parts_covered, "response_hours": contract.response_hours}


def _page_context(request, contract, *, add_form=None, bulk_form=None, bulk_errors=None) -> dict:
    query = request.GET.get("q", "").strip()
    rows = selectors.contract_units(user=request.user, contract=contract, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = contract.status == Contract.Status.ACTIVE
    return {"contract": contract, "page": page, "rows": page.object_list, "query": query,
            "total": ContractUnit.objects.filter(contract=contract).count(),
            "add_form": add_form or UnitAddForm(), "bulk_form": bulk_form or UnitsBulkForm(),
            "bulk_errors": bulk_errors or [], "terms": terms(contract),
            "can_add": editable and request.user.has_perm("sales.add_contractunit"),
            "can_remove": editable and request.user.has_perm("sales.delete_contractunit")}


@login_required
@permission_required("sales.view_contractunit", raise_exception=True)
def contract_units(request, pk):
    """A service contract's units, searched by serial, with their visits used of those included (F25)."""
    contract = _contract(request, pk)
    context = _page_context(request, contract)
    if request.htmx:
        return render(request, "sales/partials/coverage_table.html", context)
    return render(request, "sales/coverage_units.html", context)


@login_required
@permission_required("sales.add_contractunit", raise_exception=True)
@require_POST
def contract_unit_add(request, pk):
    contract = _contract(request, pk)
    form = UnitAddForm(request.POST)
    if form.is_valid():
        try:
            covered = services.contract_unit_add(contract=contract, serial_or_unit=form.cleaned_data["serial"],
                                                 acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("serial", message)
        else:
            messages.success(request, _("The unit %(serial)s is now under the contract.")
                             % {"serial": covered.unit.serial})
            return redirect("sales:coverage-units", pk=contract.pk)
    return render(request, "sales/coverage_units.html", _page_context(request, contract, add_form=form), status=400)


@login_required
@permission_required("sales.add_contractunit", raise_exception=True)
@require_POST
def contract_units_bulk(request, pk):
    contract = _contract(request, pk)
    form = UnitsBulkForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            result = services.contract_units_add_bulk(contract=contract, serials=form.cleaned_data["serials"],
                                                      acting_user=request.user)
        except ValidationError as error:
            form.add_error("serials", error.messages)
        else:
            if result.ok:
                messages.success(request, _("%(count)s units are now under the contract.")
                                 % {"count": len(result.added)})
                return redirect("sales:coverage-units", pk=contract.pk)
            errors = result.errors
            form.add_error("serials", _("Nothing was added: correct the lines below and send the list again."))
    return render(request, "sales/coverage_units.html",
                  _page_context(request, contract, bulk_form=form, bulk_errors=errors), status=400)


@login_required
@permission_required("sales.delete_contractunit", raise_exception=True)
@require_POST
def contract_unit_remove(request, pk, unit_pk):
    contract = _contract(request, pk)
    covered = get_object_or_404(ContractUnit.objects.select_related("unit"), contract=contract, pk=unit_pk)
    try:
        services.contract_unit_remove(contract_unit=covered, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unit %(serial)s is no longer under the contract.")
                         % {"serial": covered.unit.serial})
    return redirect("sales:coverage-units", pk=contract.pk)


@login_required
@permission_required("sales.change_contractunit", raise_exception=True)
@require_POST
def contract_unit_visit(request, pk):
    """Count a visit of a unit under its contract (from the repair order's page: once per order)."""
    covered = get_object_or_404(scope_queryset(ContractUnit.objects.select_related("contract"), request.user), pk=pk)
    order = request.POST.get("order", "").strip()
    try:
        services.contract_visit_use(contract_unit=covered, acting_user=request.user,
                                    reference=f"order:{order}" if order.isdigit() else "")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A visit was counted under the contract %(number)s.")
                         % {"number": covered.contract.number})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return redirect("sales:coverage-units", pk=covered.contract_id)
    return redirect(target)


# Panels other apps show.

def contract_units_panel(request, contract) -> dict:
    """On a service contract's page: how many units it covers, the first few, and the link to manage them."""
    if contract.kind != Contract.Kind.SERVICE or not request.user.has_perm("sales.view_contractunit"):
        return {"contract": contract, "show": False}
    rows = selectors.contract_units(user=request.user, contract=contract)
    return {"contract": contract, "show": True, "rows": rows[:10], "total": rows.count(), "terms": terms(contract)}


def contract_units_panel_html(request, contract) -> str:
    """The units panel of a service contract's page, rendered (empty for another kind of contract)."""
    from django.template.loader import render_to_string

    return render_to_string("sales/partials/coverage_units.html", contract_units_panel(request, contract),
                            request=request)


def reception_coverage(request, unit) -> dict | None:
    """Beside the warranty at reception: the unit's active service contract and its terms (F25)."""
    if not request.user.has_perm("sales.view_contractunit"):
        return None
    covered = selectors.service_contract_for(unit, user=request.user)
    if covered is None:
        return None
    return {"covered": covered, "contract": covered.contract, "terms": terms(covered.contract, covered)}


def order_coverage(request, order) -> dict | None:
    """On a repair order's page: the service contract the unit was under when it was received, and a
    button to count the visit under it (once per order)."""
    if not order.unit_id or not request.user.has_perm("sales.view_contractunit"):
        return None
    received_on = timezone.localdate(order.received_at) if order.received_at else None
    covered = selectors.service_contract_for(order.unit, on=received_on, user=request.user)
    if covered is None:
        return None
    counted = covered.history.filter(history_change_reason=f"visit order:{order.pk}").exists()
    return {"covered": covered, "contract": covered.contract, "terms": terms(covered.contract, covered),
            "counted": counted,
            "can_count": not counted and request.user.has_perm("sales.change_contractunit")
            and services.is_active_on(covered.contract, timezone.localdate())}


def unit_coverage_panel(request, unit) -> dict:
    """On a unit's page: every service contract of the user's centers that covers or covered it."""
    if not request.user.has_perm("sales.view_contractunit"):
        return {"rows": [], "show": False}
    today = timezone.localdate()
    rows = [(covered, services.is_active_on(covered.contract, today), terms(covered.contract, covered))
            for covered in selectors.service_contracts_of_unit(user=request.user, unit=unit)[:20]]
    return {"rows": rows, "show": True}


@login_required
@permission_required("sales.view_contractunit", raise_exception=True)
def service_contracts(request):
    """The service contracts of the user's centers with how many units each covers; found by the contract's
    number or by a covered unit's serial (F25)."""
    query = request.GET.get("q", "").strip()
    active_only = request.GET.get("active", "1") == "1"
    rows = selectors.service_contract_list(user=request.user, query=query, active_only=active_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": page.object_list, "query": query, "active_only": active_only}
    if request.htmx:
        return render(request, "sales/partials/coverage_contracts.html", context)
    return render(request, "sales/coverage_contracts.html", context)
