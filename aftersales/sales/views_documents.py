"""Pages of proformas, sales invoices, credit notes, receipts and receivables; the documents' PDF;
the sales panel on a customer's page."""

import datetime
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from aftersales.core.filters import id_or_none
from aftersales.core.pdf import render_pdf
from aftersales.core.persian import amount_in_words
from aftersales.core.search import search_filter
from aftersales.customers.models import Customer
from aftersales.organization.scoping import center_ids, scope_queryset

from . import selectors_documents as selectors
from . import services_documents, services_receipts
from .forms_documents import (CreditForm, DocumentFilterForm, DocumentForm, LineFormSet, ReceiptForm,
                              ReceivablesFilterForm, VoidForm, lines_of)
from .models import Receipt, SalesDocument

Kind = SalesDocument.Kind
LIST_TITLES = {Kind.PROFORMA: gettext_lazy("Proformas"), Kind.INVOICE: gettext_lazy("Sales invoices"),
               Kind.CREDIT: gettext_lazy("Sales credit notes")}


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, found in error.message_dict.items():
        form.add_error(field if field in form.fields else None, found)


def _document(request, pk, kind=None) -> SalesDocument:
    pk = id_or_none(pk, SalesDocument)
    document = selectors.document_get(pk, user=request.user) if pk else None
    if document is None or (kind and document.kind != kind):
        raise Http404
    return document


def _list(request, kind: str):
    form = DocumentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    documents = selectors.document_list(user=request.user, kind=kind, query=data.get("q", ""),
                                        center=data.get("center"), start=data.get("start"), end=data.get("end"))
    if request.GET.get("export"):
        return _export(kind, documents)
    return render(request, "sales/document_list.html", {
        "kind": kind, "title": LIST_TITLES[kind], "form": form,
        "page": Paginator(documents, 50).get_page(request.GET.get("page")),
        "may_issue": request.user.has_perm("sales.add_salesdocument") if kind == Kind.PROFORMA
        else request.user.has_perm("sales.issue_salesdocument") if kind == Kind.INVOICE else False})


def _export(kind, documents):
    from aftersales.core.exports import xlsx_response

    headers = [_("number"), _("selling office"), _("customer"), _("date"), _("subtotal"), _("discount"), _("VAT"),
               _("total")]
    if kind == Kind.INVOICE:
        headers.append(_("Still owed"))
    rows = ([doc.number, doc.center.name, doc.customer.display_name, doc.issued_on, doc.subtotal, doc.discount,
             doc.vat, doc.total] + ([doc.owed] if kind == Kind.INVOICE else []) for doc in documents[:20000])
    return xlsx_response(filename=f"sales-{kind}.xlsx", title=str(LIST_TITLES[kind]), headers=headers, rows=rows)


@login_required
@permission_required("sales.view_salesdocument", raise_exception=True)
@require_safe
def proforma_list(request):
    return _list(request, Kind.PROFORMA)


@login_required
@permission_required("sales.view_salesdocument", raise_exception=True)
@require_safe
def invoice_list(request):
    return _list(request, Kind.INVOICE)


@login_required
@permission_required("sales.view_salesdocument", raise_exception=True)
@require_safe
def credit_list(request):
    return _list(request, Kind.CREDIT)


def _customer_choice(request):
    pk = id_or_none(request.GET.get("customer") or request.POST.get("customer"), Customer)
    if pk is None:
        return None
    return get_object_or_404(Customer.objects.filter(merged_into__isnull=True), pk=pk)


def _new(request, kind: str):
    """Choose the customer (a search), then the selling office, lines, discount and note; issue once."""
    customer = _customer_choice(request)
    if customer is None:
        query = request.GET.get("q", "").replace("\x00", "")
        found = search_filter(Customer.objects.filter(merged_into__isnull=True), query)[:20] if query.strip() else []
        return render(request, "sales/document_customer.html", {"kind": kind, "title": _new_title(kind),
                                                                "query": query, "found": found})
    proforma = kind == Kind.PROFORMA
    centers = scope_queryset(SalesDocument.center.field.related_model.objects.all(), request.user)
    form = DocumentForm(request.POST or None, proforma=proforma, initial={
        "submission": secrets.token_urlsafe(16), "center": centers.filter(pk__in=center_ids(request.user)).first(),
        "valid_until": timezone.localdate() + datetime.timedelta(days=settings.SALES_PROFORMA_VALID_DAYS)})
    form.fields["center"].queryset = centers
    formset = LineFormSet(request.POST or None, prefix="lines")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            values = {"center": data["center"], "customer": customer, "lines": lines_of(formset),
                      "discount": data.get("discount") or 0, "note": data.get("note", ""),
                      "acting_user": request.user, "submission_key": data["submission"]}
            try:
                if proforma:
                    document = services_documents.proforma_issue(valid_until=data["valid_until"], **values)
                else:
                    document = services_documents.invoice_issue(**values)
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionDenied:
                form.add_error("center", _("You do not work at this selling office."))
            else:
                messages.success(request, _("%(document)s issued.") % {"document": document})
                return redirect("sales:document", document.pk)
        status = 400
    return render(request, "sales/document_form.html", {
        "kind": kind, "title": _new_title(kind), "customer": customer, "form": form, "formset": formset}, status=status)


def _new_title(kind):
    return _("New proforma") if kind == Kind.PROFORMA else _("New sales invoice")


@login_required
@permission_required("sales.add_salesdocument", raise_exception=True)
def proforma_new(request):
    return _new(request, Kind.PROFORMA)


@login_required
@permission_required("sales.issue_salesdocument", raise_exception=True)
def invoice_new(request):
    return _new(request, Kind.INVOICE)


def _credit_lines(document):
    done = services_documents.credited_quantities(document)
    lines = list(document.lines.all())
    for line in lines:
        line.left = line.quantity - done.get(line.pk, 0)
    return [line for line in lines if line.left > 0]


@login_required
@permission_required("sales.view_salesdocument", raise_exception=True)
@require_safe
def document_detail(request, pk):
    document = _document(request, pk)
    user = request.user
    context = {"document": document, "words": amount_in_words(document.total),
               "lines": list(document.lines.all())}
    if document.kind == Kind.PROFORMA:
        context["invoice"] = SalesDocument.objects.filter(proforma=document).first()
        context["expired"] = document.valid_until is not None and document.valid_until < timezone.localdate()
        context["may_invoice"] = (user.has_perm("sales.issue_salesdocument") and context["invoice"] is None
                                  and not context["expired"])
        context["submission"] = secrets.token_urlsafe(16)
    if document.kind == Kind.INVOICE:
        credit_lines = _credit_lines(document)
        context.update({
            "receipts": selectors.document_receipts(document),
            "credit_notes": list(document.credit_notes.all()),
            "receipt_form": ReceiptForm(initial={"submission": secrets.token_urlsafe(16), "amount": document.owed or None}),
            "credit_form": CreditForm(lines=credit_lines),
            "void_form": VoidForm(),
            "may_receive": user.has_perm("sales.add_receipt") and document.owed > 0,
            "may_void": user.has_perm("sales.change_receipt"),
            "may_credit": user.has_perm("sales.credit_salesdocument") and bool(credit_lines),
        })
    return render(request, "sales/document_detail.html", context)


@login_required
@permission_required("sales.view_salesdocument", raise_exception=True)
@require_safe
def document_pdf(request, pk):
    document = _document(request, pk)
    pdf = render_pdf("sales/document_pdf.html", selectors.document_pdf_context(document), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sales-{document.kind}-{document.number}.pdf"'
    return response


@login_required
@permission_required("sales.issue_salesdocument", raise_exception=True)
@require_POST
def proforma_invoice(request, pk):
    proforma = _document(request, pk, Kind.PROFORMA)
    try:
        invoice = services_documents.proforma_to_invoice(proforma=proforma, acting_user=request.user,
                                                         submission_key=request.POST.get("submission") or None)
    except ValidationError as error:
        _error(request, error)
        return redirect("sales:document", proforma.pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("%(document)s issued.") % {"document": invoice})
    return redirect("sales:document", invoice.pk)


@login_required
@permission_required("sales.credit_salesdocument", raise_exception=True)
@require_POST
def invoice_credit(request, pk):
    invoice = _document(request, pk, Kind.INVOICE)
    form = CreditForm(request.POST, lines=_credit_lines(invoice))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("sales:document", invoice.pk)
    chosen = [item for item in form.chosen() if item["quantity"]]
    try:
        note = services_documents.credit_note_issue(invoice=invoice, lines=chosen or None,
                                                    reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("sales:document", invoice.pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("%(document)s issued.") % {"document": note})
    return redirect("sales:document", note.pk)


@login_required
@permission_required("sales.add_receipt", raise_exception=True)
@require_POST
def invoice_receipt(request, pk):
    invoice = _document(request, pk, Kind.INVOICE)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("sales:document", invoice.pk)
    data = form.cleaned_data
    try:
        services_receipts.receipt_record(center=invoice.center, customer=invoice.customer, document=invoice,
                                         method=data["method"], amount=data["amount"], received_on=data["received_on"],
                                         reference=data["reference"], acting_user=request.user,
                                         submission_key=data["submission"])
    except ValidationError as error:
        _error(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Receipt recorded."))
    return redirect("sales:document", invoice.pk)


@login_required
@permission_required("sales.change_receipt", raise_exception=True)
@require_POST
def receipt_void(request, pk):
    pk = id_or_none(pk, Receipt)
    receipt = get_object_or_404(scope_queryset(Receipt.objects.all(), request.user), pk=pk) if pk else None
    if receipt is None:
        raise Http404
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason the receipt is void."))
    else:
        try:
            services_receipts.receipt_void(receipt=receipt, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The receipt is void; the amount is owed again."))
    return redirect("sales:document", receipt.document_id) if receipt.document_id else redirect("sales:receivables")


@login_required
@permission_required("sales.view_receipt", raise_exception=True)
@require_safe
def receivables(request):
    """The parties owing anything at the user's centers, what they owe and what is overdue; Excel export."""
    form = ReceivablesFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    debts = selectors.receivables(user=request.user, query=data.get("q", ""), center=data.get("center"),
                                  overdue_only=bool(data.get("overdue")), sort=data.get("sort") or "overdue")
    if request.GET.get("export"):
        from aftersales.core.exports import xlsx_response

        return xlsx_response(filename="receivables.xlsx", title=_("Receivables"), headers=[
            _("party"), _("invoices owed"), _("instalments owed"), _("owed"), _("overdue")],
            rows=([d.customer.display_name, d.invoices, d.instalments, d.owed, d.overdue] for d in debts))
    return render(request, "sales/receivable_list.html", {
        "form": form, "page": Paginator(debts, 50).get_page(request.GET.get("page")),
        "total_owed": sum(d.owed for d in debts), "total_overdue": sum(d.overdue for d in debts)})


@login_required
@permission_required("sales.view_receipt", raise_exception=True)
@require_safe
def receivable_detail(request, customer_pk):
    """The party's statement: invoices, credit notes and receipts with the running balance, and its debt."""
    pk = id_or_none(customer_pk, Customer)
    customer = get_object_or_404(Customer, pk=pk) if pk else None
    if customer is None:
        raise Http404
    return render(request, "sales/receivable_detail.html", {
        "customer": customer, "debt": selectors.customer_debt(customer, user=request.user),
        "entries": selectors.statement(customer, user=request.user)})


def customer_sales_panel(request, customer) -> dict:
    """The customer page's panel: the last documents, the debt and links (empty for users who may not see sales)."""
    if not request.user.has_perm("sales.view_salesdocument"):
        return {"sales_visible": False}
    documents = list(selectors.document_list(user=request.user, customer=customer)[:8])
    return {"sales_visible": True, "customer": customer, "sales_documents": documents,
            "sales_debt": selectors.customer_debt(customer, user=request.user),
            "may_proforma": request.user.has_perm("sales.add_salesdocument"),
            "may_invoice": request.user.has_perm("sales.issue_salesdocument")}
