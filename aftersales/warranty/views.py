from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aftersales.core import jalali
from aftersales.core.limits import too_many
from aftersales.core.pdf import render_pdf
from aftersales.core.validators import normalize_mobile

from . import services
from .cards import card_context
from .forms import ActivationCodeForm, PeriodicRecordForm, SelfActivationForm
from .models import ActivationRequest, PeriodicService, PurchaseProof, WarrantyCard
from .selectors import unit_entitlements, unit_timeline
from .status import State, unit_warranty_status, warranty_status


def _too_many(request, scope: str, target) -> bool:
    return too_many(request, f"warranty:{scope}", settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE, target=target)


@never_cache
def public_check(request):
    """The public warranty check: only the product's status and end date, never who owns it."""
    serial = request.GET.get("serial", "").strip()
    context = {"serial": serial}
    if serial:
        if _too_many(request, "check", target=serial):
            context["error"] = _("Too many checks from your connection; try again in a minute.")
            return render(request, "warranty/check.html", context, status=429)
        status = warranty_status(serial=serial)
        context["status"] = status.product
        context["found"] = status.product.state != State.NOT_REGISTERED
    return render(request, "warranty/check.html", context)


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@never_cache
def self_activate(request):
    """The customer activates their product's warranty: serial, mobile and purchase date, then an SMS code."""
    form = SelfActivationForm(request.POST or None, initial={"serial": request.GET.get("serial", "")})
    status = 200
    if request.method == "POST":
        if _too_many(request, "activate", target=(request.POST.get("serial", ""),
                                                  normalize_mobile(request.POST.get("mobile", "")))):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            try:
                activation = services.activation_request_start(**form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect("warranty-activate-confirm", token=activation.token)
    return render(request, "warranty/self_activate.html", {"form": form}, status=status)


@never_cache
def self_activate_confirm(request, token):
    activation = ActivationRequest.objects.filter(token=token).select_related("unit").first()
    if activation is None:
        raise Http404
    form = ActivationCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many(request, "activate", target=token):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            try:
                card = services.activation_request_confirm(token=token, code=form.cleaned_data["code"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return render(request, "warranty/self_activate_done.html",
                              {"card": card, "status": unit_warranty_status(card.unit).product})
    masked = activation.mobile[:4] + "•••" + activation.mobile[-4:]
    return render(request, "warranty/self_activate_confirm.html",
                  {"form": form, "masked_mobile": masked, "serial": activation.unit.serial}, status=status)


def unit_panel(request, unit) -> dict:
    """The warranty panel on a unit's page: status, card, periodic services and entitlements."""
    status = unit_warranty_status(unit)
    schedule = list(unit.periodic_services.select_related("performed_by"))
    visits = [(visit, visit.get_state_display(status.on)) for visit in schedule]
    context = {
        "unit": unit,
        "status": status,
        "card": unit.warranty_cards.exclude(status=WarrantyCard.Status.CANCELLED).first(),
        "can_issue": request.user.has_perm("warranty.add_warrantycard"),
        "visits": visits,
        "entitlements": unit_entitlements(unit, status, schedule),
        "timeline": unit_timeline(unit, schedule),
        "proofs": list(unit.purchase_proofs.select_related("customer")),
        "can_record_visit": request.user.has_perm("warranty.change_periodicservice")
        and any(state == PeriodicService.State.DUE for state in (v.state_on(status.on) for v, _label in visits)),
    }
    if context["can_record_visit"]:
        context["periodic_form"] = PeriodicRecordForm(user=request.user)
    return context


@login_required
@permission_required("warranty.change_warrantycard", raise_exception=True)
@require_POST
def owner_transfer(request, unit_pk):
    from aftersales.catalog.models import ProductUnit

    unit = get_object_or_404(ProductUnit, pk=unit_pk)
    try:
        owner = services.owner_for_mobile(mobile=request.POST.get("mobile", ""), name=request.POST.get("name", ""),
                                          acting_user=request.user)
        services.unit_owner_transfer(unit=unit, new_owner=owner, acting_user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unit now belongs to %(owner)s.") % {"owner": owner})
    return redirect("desk:detail", slug="units", pk=unit.pk)


@login_required
@permission_required("warranty.change_periodicservice", raise_exception=True)
@require_POST
def periodic_record(request, unit_pk):
    from aftersales.catalog.models import ProductUnit

    unit = get_object_or_404(ProductUnit, pk=unit_pk)
    form = PeriodicRecordForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("desk:detail", slug="units", pk=unit.pk)
    data = form.cleaned_data
    try:
        visit = services.periodic_service_record(unit=unit, acting_user=request.user,
                                                 performed_by=data["performed_by"], work_done=data["work_done"],
                                                 minutes=data["minutes"] or 0)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Periodic service %(number)s was recorded.") % {"number": visit.sequence})
    return redirect("desk:detail", slug="units", pk=unit.pk)


@login_required
@permission_required("warranty.view_warrantycard", raise_exception=True)
def proof_photo(request, pk):
    """The photo of a purchase invoice a customer sent from the portal, to staff who may see warranty cards
    (never a public media URL)."""
    from django.http import FileResponse

    proof = get_object_or_404(PurchaseProof, pk=pk)
    return FileResponse(proof.image.open("rb"))


def _card(number) -> WarrantyCard:
    card = WarrantyCard.objects.select_related("unit__product_model").filter(number=number).first()
    if card is None:
        raise Http404
    return card


@login_required
@permission_required("warranty.view_warrantycard", raise_exception=True)
def card_view(request, number):
    return render(request, "warranty/card.html", {"cards": [card_context(_card(number), request)]})


@login_required
@permission_required("warranty.view_warrantycard", raise_exception=True)
def card_pdf(request, number):
    card = _card(number)
    response = HttpResponse(render_pdf("warranty/card.html", {"cards": [card_context(card, request)]}, request),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warranty-card-{card.number}.pdf"'
    return response


@login_required
@permission_required("warranty.add_warrantycard", raise_exception=True)
@require_POST
def card_issue(request, unit_pk):
    from aftersales.catalog.models import ProductUnit

    unit = get_object_or_404(ProductUnit, pk=unit_pk)
    try:
        services.warranty_card_issue(unit=unit, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The warranty card was issued."))
    return redirect("desk:detail", slug="units", pk=unit.pk)


@login_required
@permission_required("warranty.change_warrantycard", raise_exception=True)
@require_POST
def card_activate(request, number):
    card = _card(number)
    try:
        purchase_date = jalali.parse_date(request.POST.get("purchase_date", ""))
    except ValueError:
        messages.error(request, _("Enter a valid Jalali date, such as 1405/09/07."))
        return redirect("desk:detail", slug="units", pk=card.unit_id)
    try:
        services.warranty_card_activate(number=card.number, purchase_date=purchase_date,
                                        channel=WarrantyCard.Channel.STAFF, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The warranty card was activated."))
    return redirect("desk:detail", slug="units", pk=card.unit_id)


BATCH_PDF_LIMIT = 500


@login_required
@permission_required("warranty.add_warrantycard", raise_exception=True)
def batch_cards(request):
    """Issue the cards of a production batch at once, then print them as one PDF (500 a file)."""
    from aftersales.catalog.models import ProductUnit
    from aftersales.core.persian import normalize_identifier

    batch = normalize_identifier(request.POST.get("batch") or request.GET.get("batch", ""))
    units = ProductUnit.objects.filter(batch_key=batch) if batch else ProductUnit.objects.none()
    if request.method == "POST" and batch:
        issued = services.warranty_cards_issue_batch(units=units.exclude(warranty_cards__status__in=["issued", "active"]),
                                                     acting_user=request.user)
        messages.success(request, _("%(count)s warranty cards were issued.") % {"count": len(issued)})
        return redirect(f"{request.path}?batch={batch}")
    cards = WarrantyCard.objects.filter(unit__batch_key=batch).exclude(status=WarrantyCard.Status.CANCELLED) if batch else []
    context = {"batch": batch, "unit_count": units.count(), "card_count": len(cards) if batch else 0,
               "pdf_pages": range(1, (len(cards) + BATCH_PDF_LIMIT - 1) // BATCH_PDF_LIMIT + 1) if batch else []}
    return render(request, "warranty/batch.html", context)


@login_required
@permission_required("warranty.view_warrantycard", raise_exception=True)
def batch_pdf(request, batch, page):
    cards = (WarrantyCard.objects.filter(unit__batch_key=batch).exclude(status=WarrantyCard.Status.CANCELLED)
             .select_related("unit__product_model").order_by("unit__serial"))[(page - 1) * BATCH_PDF_LIMIT:page * BATCH_PDF_LIMIT]
    if not cards:
        raise Http404
    pdf = render_pdf("warranty/card.html", {"cards": [card_context(card, request) for card in cards]}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="warranty-cards-{batch}-{page}.pdf"'
    return response
