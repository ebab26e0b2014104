"""Invoices on the desk: the draft preview and issue (one order or several of a customer), the
invoice with payments and credit note, its PDF; warranty claims and head office's review."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.filters import id_or_none, ids
from aftersales.core.pdf import render_pdf
from aftersales.core.persian import amount_in_words
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset
from aftersales.customers.models import Customer
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.selectors import orders_for

from . import selectors, services
from .documents import invoice_document
from .forms import ClaimForm, CreditForm, DecisionForm, InvoiceForm, PaymentForm
from .models import Invoice, WarrantyClaim


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))


def _invoice(request, pk) -> Invoice:
    invoice = selectors.invoice_get(request.user, pk)
    if invoice is None:
        raise Http404
    return invoice


@login_required
@permission_required("billing.view_invoice", raise_exception=True)
def invoice_list(request):
    invoices = selectors.invoices_for(request.user).prefetch_related("payments", "credit_notes")
    kind = request.GET.get("kind", "")
    if kind in Invoice.Kind.values:
        invoices = invoices.filter(kind=kind)
    return render(request, "billing/invoice_list.html", {
        "page": Paginator(invoices, 50).get_page(request.GET.get("page")), "kind": kind, "kinds": Invoice.Kind.choices})


def _selected_orders(request):
    chosen = ids(request.GET.getlist("orders") + request.POST.getlist("orders"), RepairOrder)
    return list(orders_for(request.user).filter(pk__in=chosen))


@login_required
@permission_required("billing.add_invoice", raise_exception=True)
def invoice_new(request):
    """Preview the invoice of the chosen orders, then issue it; several orders of one customer make one
    invoice. "Recalculate" posts the form back as a preview."""
    orders = _selected_orders(request)
    customer_id = orders[0].customer_id if orders else id_or_none(request.GET.get("customer"), Customer)
    candidates = selectors.orders_to_invoice(request.user, customer_id) if customer_id else []
    form = InvoiceForm(request.POST or None, initial={"submission": secrets.token_urlsafe(16)})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    amounts = {"transport": data.get("transport") or 0, "discount": data.get("discount") or 0}
    if form.is_bound and "preview" not in request.POST:
        if not data:
            _form_errors(request, form)
        else:
            try:
                invoice = services.invoice_issue(orders=orders, acting_user=request.user, note=data["note"],
                                                 submission_key=data["submission"], **amounts)
            except ValidationError as error:
                _error(request, error)
            else:
                messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
                return redirect("billing:invoice", invoice.pk)
    draft, problem = None, None
    if orders:
        try:
            draft = services.invoice_draft(orders=orders, **amounts)
            services.invoice_promise_check(orders=orders, draft=draft)  # shown before issuing, not only after
        except ValidationError as error:
            problem = " ".join(error.messages)
    return render(request, "billing/invoice_new.html", {
        "orders": orders, "candidates": candidates, "form": form, "draft": draft, "problem": problem,
        "selected": {order.pk for order in orders}})


@login_required
@permission_required("billing.view_invoice", raise_exception=True)
def invoice_detail(request, pk):
    invoice = _invoice(request, pk)
    return render(request, "billing/invoice_detail.html", {
        "invoice": invoice, "words": amount_in_words(invoice.total),
        "pay_form": PaymentForm(initial={"submission": secrets.token_urlsafe(16), "amount": invoice.owed or None}),
        "credit_form": CreditForm(),
        "may_pay": request.user.has_perm("billing.add_payment") and invoice.owed > 0,
        "may_credit": request.user.has_perm("billing.credit_invoice") and invoice.kind != Invoice.Kind.CREDIT
        and not invoice.credit_notes.all()})


@login_required
@permission_required("billing.view_invoice", raise_exception=True)
def invoice_pdf(request, pk):
    invoice = _invoice(request, pk)
    pdf = render_pdf("billing/invoice_pdf.html", invoice_document(invoice), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.number}.pdf"'
    return response


@login_required
@permission_required("billing.add_payment", raise_exception=True)
@require_POST
def invoice_pay(request, pk):
    invoice = _invoice(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.payment_record(invoice=invoice, amount=form.cleaned_data["amount"],
                                    method=form.cleaned_data["method"], reference=form.cleaned_data["reference"],
                                    acting_user=request.user, submission_key=form.cleaned_data["submission"])
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Payment recorded."))
    return redirect("billing:invoice", invoice.pk)


@login_required
@permission_required("billing.credit_invoice", raise_exception=True)
@require_POST
def invoice_credit(request, pk):
    invoice = _invoice(request, pk)
    form = CreditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("billing:invoice", invoice.pk)
    try:
        note = services.invoice_credit(invoice=invoice, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("billing:invoice", invoice.pk)
    messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
    return redirect("billing:invoice", note.pk)


@login_required
@permission_required("billing.view_warrantyclaim", raise_exception=True)
def claim_list(request):
    claims = selectors.claims_for(request.user)
    status = request.GET.get("status", "")
    if status in WarrantyClaim.Status.values:
        claims = claims.filter(status=status)
    return render(request, "billing/claim_list.html", {
        "page": Paginator(claims, 50).get_page(request.GET.get("page")), "status": status,
        "form": ClaimForm(centers=scope_queryset(ServiceCenter.objects.filter(is_active=True), request.user),
                          initial={"submission": secrets.token_urlsafe(16)}),
        "may_claim": request.user.has_perm("billing.add_invoice")})


@login_required
@permission_required("billing.add_invoice", raise_exception=True)
@require_POST
def claim_new(request):
    """A warranty invoice for one order (``order``) or for a center's period."""
    order_id = request.POST.get("order", "")
    try:
        if order_id.isdigit():
            order = orders_for(request.user).filter(pk=order_id).first()
            if order is None:
                raise Http404
            invoice = services.warranty_invoice_issue(center=order.center, orders=[order], acting_user=request.user,
                                                      submission_key=request.POST.get("submission") or None)
        else:
            form = ClaimForm(request.POST, centers=scope_queryset(ServiceCenter.objects.all(), request.user))
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("billing:claim-list")
            data = form.cleaned_data
            invoice = services.warranty_invoice_issue(center=data["center"], start=data["start"], end=data["end"],
                                                      bill_to=data["bill_to"], acting_user=request.user,
                                                      submission_key=data["submission"])
    except ValidationError as error:
        _error(request, error)
        return redirect("repairs:order", order_id) if order_id.isdigit() else redirect("billing:claim-list")
    messages.success(request, _("Warranty invoice %(number)s sent to head office.") % {"number": invoice.number})
    return redirect("billing:claim", invoice.claim.pk)


@login_required
@permission_required("billing.view_warrantyclaim", raise_exception=True)
def claim_detail(request, pk):
    claim = selectors.claims_for(request.user).filter(pk=pk).first()
    if claim is None:
        raise Http404
    may_review = request.user.has_perm("billing.review_warrantyclaim")
    lines = list(claim.invoice.lines.select_related("order", "decision", "part_line").order_by("order", "pk"))
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        forms = [DecisionForm(request.POST, prefix=f"line-{line.pk}") for line in lines]
        invalid = [form for form in forms if not form.is_valid()]
        if invalid:
            for form in invalid:
                _form_errors(request, form)
            return redirect("billing:claim", claim.pk)
        decisions = {line.pk: {**form.cleaned_data} for line, form in zip(lines, forms, strict=True)}
        try:
            services.claim_review(claim=claim, decisions=decisions, acting_user=request.user)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Decisions saved."))
        return redirect("billing:claim", claim.pk)
    rows = [(line, DecisionForm(prefix=f"line-{line.pk}", initial=_decision_initial(line))) for line in lines]
    return render(request, "billing/claim_detail.html", {"claim": claim, "rows": rows, "may_review": may_review})


def _decision_initial(line) -> dict:
    decision = getattr(line, "decision", None)  # the reverse one-to-one is missing until decided
    if decision is None:
        return {"decision": "approved"}
    return {"decision": decision.decision, "amount": decision.approved_amount, "reason": decision.reason,
            "part_return": decision.part_return_required}
