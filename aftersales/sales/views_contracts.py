"""The pages of contracts, cheques and alarms: lists with filters, a contract's page with its instalments,
cheques, invoices, alarms and history, the contract's form with its plan, receiving a cheque, the
cheque's moves, and the user's alarms (F51, F52)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.audit import audit_trail
from aftersales.core.persian import to_ascii_digits

from . import alarms as alarm_services
from . import services_cheques, services_contracts
from .forms_contracts import ChequeForm, ChequeReturnForm, ContractForm, InstalmentFormSet, SplitForm
from .models import Cheque, Contract
from .selectors_contracts import alarm_list, alarms_unseen, cheque_list, contract_list
from .services_receipts import invoice_owed

PAGE_SIZE = 25


def _form_errors(form, error: ValidationError, formset=None) -> None:
    """A service's errors on the form's fields where it has them (a plan row's on its row), else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        if field.startswith("instalments") and formset is not None:
            formset._non_form_errors = formset.non_form_errors() + messages_
        else:
            form.add_error(field if field in form.fields else None, messages_)


def _days(value: str) -> int | None:
    value = to_ascii_digits(value or "").strip()
    return int(value) if value.isdigit() and int(value) < 100000 else None


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return page, querystring.urlencode()


@login_required
@permission_required("sales.view_contract", raise_exception=True)
def contract_list_view(request):
    """Contracts, filtered by kind, status, party and how soon they end."""
    filters = {"kind": request.GET.get("kind", "") if request.GET.get("kind") in Contract.Kind.values else "",
               "status": request.GET.get("status", "") if request.GET.get("status") in Contract.Status.values else "",
               "customer": _days(request.GET.get("party", "")),
               "ends_within": _days(request.GET.get("ends_within", "")),
               "query": request.GET.get("q", "").strip().replace("\x00", "")}
    contracts = contract_list(user=request.user, **filters)
    page, querystring = _page(request, contracts)
    return render(request, "sales/contract_list.html", {
        "page": page, "contracts": page.object_list, "querystring": querystring, "filters": filters,
        "kinds": Contract.Kind.choices, "statuses": Contract.Status.choices, "params": request.GET})


def _contract(request, pk) -> Contract:
    return get_object_or_404(contract_list(user=request.user), pk=pk)


@login_required
@permission_required("sales.view_contract", raise_exception=True)
def contract_detail(request, pk):
    contract = _contract(request, pk)
    instalments = list(contract.instalments.all())
    totals = {"amount": sum(row.amount for row in instalments), "paid": sum(row.paid for row in instalments)}
    totals["owed"] = totals["amount"] - totals["paid"]
    documents = contract.documents.order_by("-issued_on", "-pk")
    return render(request, "sales/contract_detail.html", {
        "contract": contract, "instalments": instalments, "totals": totals,
        "cheques": cheque_list(user=request.user, contract=contract.pk),
        "documents": documents, "documents_total": documents.aggregate(sum=Sum("total"))["sum"] or 0,
        "alarms": contract.alarms.select_related("user").order_by("-fired_at")[:20],
        "entries": audit_trail(contract),
        "has_receipts": contract.instalments.filter(receipts__is_void=False).exists()})


def _plan_rows(formset) -> list[dict]:
    return [{"due_date": form.cleaned_data["due_date"], "amount": form.cleaned_data["amount"]}
            for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _contract_form(request, *, contract: Contract | None):
    editing = contract is not None
    initial = {}
    plan_initial = []
    if editing:
        initial = {name: getattr(contract, name) for name in services_contracts.CONTRACT_FIELDS}
        plan_initial = [{"due_date": row.due_date, "amount": row.amount} for row in contract.instalments.all()]
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, user=request.user, editing=editing, initial=initial)
    split = SplitForm(data, prefix="split")
    formset = InstalmentFormSet(data, prefix="plan", initial=plan_initial or None)
    if data is not None and "split" in data:
        # "Split evenly": the plan's rows are rebuilt from the value; nothing is saved yet.
        if form.is_valid() and split.is_valid():
            try:
                rows = services_contracts.plan_split(value=form.cleaned_data["value"], **split.cleaned_data)
            except ValidationError as error:
                split.add_error(None, error.messages)
            else:
                formset = InstalmentFormSet(prefix="plan", initial=rows)
    elif data is not None and form.is_valid() and formset.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if value is not None}
        values["note"] = values.get("note") or ""
        values["number"] = values.get("number") or None
        try:
            if editing:
                contract = services_contracts.contract_update(contract=contract, acting_user=request.user,
                                                              instalments=_plan_rows(formset), **values)
            else:
                contract = services_contracts.contract_create(acting_user=request.user, instalments=_plan_rows(formset),
                                                              **values)
        except ValidationError as error:
            _form_errors(form, error, formset)
        else:
            messages.success(request, _("The contract was saved."))
            return redirect("sales:contract-detail", pk=contract.pk)
    return render(request, "sales/contract_form.html", {"form": form, "formset": formset, "split": split,
                                                        "contract": contract})


@login_required
@permission_required("sales.add_contract", raise_exception=True)
def contract_create_view(request):
    return _contract_form(request, contract=None)


@login_required
@permission_required("sales.change_contract", raise_exception=True)
def contract_edit(request, pk):
    return _contract_form(request, contract=_contract(request, pk))


@login_required
@permission_required("sales.change_contract", raise_exception=True)
@require_POST
def contract_status(request, pk, action):
    contract = _contract(request, pk)
    service = services_contracts.contract_end if action == "end" else services_contracts.contract_cancel
    try:
        service(contract=contract, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contract is ended.") if action == "end" else _("The contract is cancelled."))
    return redirect("sales:contract-detail", pk=contract.pk)


@login_required
@permission_required("sales.view_cheque", raise_exception=True)
def cheque_list_view(request):
    """Cheques, filtered by state, how soon they fall due and party."""
    filters = {"state": request.GET.get("state", "") if request.GET.get("state") in Cheque.State.values else "",
               "customer": _days(request.GET.get("party", "")), "due_within": _days(request.GET.get("due_within", "")),
               "query": request.GET.get("q", "").strip().replace("\x00", "")}
    page, querystring = _page(request, cheque_list(user=request.user, **filters))
    return render(request, "sales/cheque_list.html", {
        "page": page, "cheques": page.object_list, "querystring": querystring, "filters": filters,
        "states": Cheque.State.choices, "params": request.GET})


def _cheque(request, pk) -> Cheque:
    return get_object_or_404(cheque_list(user=request.user), pk=pk)


@login_required
@permission_required("sales.view_cheque", raise_exception=True)
def cheque_detail(request, pk):
    cheque = _cheque(request, pk)
    return render(request, "sales/cheque_detail.html", {
        "cheque": cheque, "receipt": getattr(cheque, "receipt", None), "return_form": ChequeReturnForm(),
        "entries": audit_trail(cheque)})


@login_required
@permission_required("sales.add_cheque", raise_exception=True)
def cheque_receive_view(request):
    """Receive a cheque, standalone, for a contract's instalment (``?instalment=``) or for an invoice (``?document=``)."""
    initial = {}
    instalment_pk = _days(request.GET.get("instalment", ""))
    form = ChequeForm(request.POST or None, user=request.user)
    document_pk = _days(request.GET.get("document", ""))
    if instalment_pk and request.method != "POST":
        instalment = form.fields["instalment"].queryset.filter(pk=instalment_pk).first()
        if instalment is not None:
            contract = instalment.contract
            initial = {"instalment": instalment.pk, "contract": contract.pk, "center": contract.center_id,
                       "customer": contract.customer_id, "amount": instalment.owed, "due_date": instalment.due_date,
                       "responsible": contract.responsible_id}
            form = ChequeForm(user=request.user, initial=initial)
    elif document_pk and request.method != "POST":
        document = form.fields["document"].queryset.filter(pk=document_pk).first()
        if document is not None:  # from the invoice's page: its party, office and what it still owes
            initial = {"document": document.pk, "center": document.center_id, "customer": document.customer_id,
                       "amount": invoice_owed(document) or None, "contract": document.contract_id,
                       "responsible": request.user.pk}
            form = ChequeForm(user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cheque = services_cheques.cheque_receive(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The cheque was recorded."))
            return redirect("sales:cheque-detail", pk=cheque.pk)
    return render(request, "sales/cheque_form.html", {"form": form})


@login_required
@permission_required("sales.change_cheque", raise_exception=True)
@require_POST
def cheque_move(request, pk, action):
    cheque = _cheque(request, pk)
    try:
        if action == "deposit":
            services_cheques.cheque_deposit(cheque=cheque, acting_user=request.user)
        elif action == "clear":
            services_cheques.cheque_clear(cheque=cheque, acting_user=request.user)
        else:
            form = ChequeReturnForm(request.POST)
            if not form.is_valid():
                return render(request, "sales/cheque_detail.html", {
                    "cheque": cheque, "receipt": getattr(cheque, "receipt", None), "return_form": form,
                    "entries": audit_trail(cheque)}, status=400)
            services_cheques.cheque_return(cheque=cheque, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cheque's state was changed."))
    return redirect("sales:cheque-detail", pk=cheque.pk)


@login_required
def alarm_list_view(request):
    """The user's alarms, newest first; unseen ones first when asked."""
    unseen = bool(request.GET.get("unseen"))
    page, querystring = _page(request, alarm_list(user=request.user, unseen=unseen))
    return render(request, "sales/alarm_list.html", {"page": page, "alarms": page.object_list, "unseen": unseen,
                                                     "querystring": querystring})


@login_required
@require_POST
def alarm_seen(request, pk):
    alarm = get_object_or_404(alarm_list(user=request.user), pk=pk)
    alarm_services.alarm_seen(alarm=alarm, acting_user=request.user)
    if request.htmx:
        return render(request, "sales/partials/alarms_panel.html", alarms_unseen(user=request.user))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("sales:alarm-list")
