"""Delivery documents on the desk and their invoice (F30); technicians' statements of work, on screen
and as a PDF (F24)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.filters import id_or_none
from aftersales.core.pdf import render_pdf
from aftersales.core.persian import to_ascii_digits
from aftersales.core.validators import normalize_mobile
from aftersales.organization.scoping import scope_queryset

from .deliveries import delivery_invoice_issue, delivery_unbilled_lines
from .forms import StatementForm
from .models import DeliveryDocument, Invoice
from .statements import technician_statement, technicians_for


def _deliveries(user):
    return scope_queryset(DeliveryDocument.objects.select_related("center", "customer"), user)


@login_required
@permission_required("billing.view_deliverydocument", raise_exception=True)
def delivery_list(request):
    """Deliveries received from the warehouse system, newest first; search by number or mobile."""
    query = request.GET.get("q", "").strip()
    deliveries = _deliveries(request.user)
    if query:
        deliveries = deliveries.filter(number__icontains=to_ascii_digits(query)) | deliveries.filter(
            customer__mobile=normalize_mobile(query))
    return render(request, "billing/delivery_list.html", {
        "page": Paginator(deliveries.order_by("-delivered_on", "-pk"), 50).get_page(request.GET.get("page")),
        "query": query})


@login_required
@permission_required("billing.view_deliverydocument", raise_exception=True)
def delivery_detail(request, pk):
    delivery = get_object_or_404(_deliveries(request.user), pk=pk)
    return render(request, "billing/delivery_detail.html", {
        "delivery": delivery, "lines": delivery.lines.select_related("service_item").annotate(amount=F("quantity") * F("unit_price")),
        "unbilled": delivery_unbilled_lines(delivery),
        "invoices": Invoice.objects.filter(delivery=delivery, kind=Invoice.Kind.SERVICE),
        "submission": secrets.token_urlsafe(16)})


@login_required
@permission_required("billing.add_invoice", raise_exception=True)
@require_POST
def delivery_invoice(request, pk):
    """Issue the invoice of the delivery's services and open it."""
    delivery = get_object_or_404(_deliveries(request.user), pk=pk)
    try:
        invoice = delivery_invoice_issue(delivery=delivery, acting_user=request.user,
                                         submission_key=request.POST.get("submission") or None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("billing:delivery", pk=delivery.pk)
    messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
    return redirect("billing:invoice", pk=invoice.pk)


def _statement(request):
    """The form, and the statement when the form is valid (or None). Asking for the statement of
    someone the user may not see is refused outright rather than shown as a form error."""
    technician = request.GET.get("technician", "")
    candidates = technicians_for(request.user)
    if technician and not candidates.filter(pk=id_or_none(technician, candidates.model) or 0).exists():
        raise PermissionDenied
    today = timezone.localdate()
    first_visit = {"technician": request.user.pk, "start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    form = StatementForm(request.GET or first_visit, user=request.user)
    if not form.is_valid():
        if not request.GET:  # the user is not a technician: an empty form to choose one
            return StatementForm(initial={"start": today.replace(day=1), "end": today}, user=request.user), None
        return form, None
    data = form.cleaned_data
    return form, technician_statement(technician=data["technician"], start=data["start"], end=data["end"])


@login_required
def statement(request):
    """A technician's operations, labour and commission in a period; technicians see only their own."""
    form, result = _statement(request)
    return render(request, "billing/statement.html", {"form": form, "statement": result},
                  status=400 if request.GET and form.errors else 200)


@login_required
def statement_pdf(request):
    form, result = _statement(request)
    if result is None:
        return render(request, "billing/statement.html", {"form": form, "statement": None}, status=400)
    pdf = render_pdf("billing/statement_pdf.html", {"statement": result, "printed_at": timezone.now()}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"statement-{result['technician'].username}-{result['start']:%Y%m%d}-{result['end']:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

