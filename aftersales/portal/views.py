"""The customer's portal pages (issue 22): phone-first, server-rendered, each scoped to the signed-in account."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aftersales.billing.documents import invoice_document
from aftersales.core.limits import client_address, too_many
from aftersales.core.pdf import render_pdf
from aftersales.core.persian import normalize_identifier
from aftersales.repairs import estimates
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.selectors import order_timeline
from aftersales.repairs.services import estimate_answer
from aftersales.repairs.views import receipt_pdf
from aftersales.warranty.cards import card_context
from aftersales.warranty.selectors import unit_entitlements

from . import access, selectors, services
from .forms import CodeForm, MobileForm, RegisterForm, ServiceRequestForm
from .models import SignInRequest


#: Units the home page shows (newest first); "All products" lists the rest.
HOME_UNITS = 5
#: Repair orders on a page of "my repairs".
REPAIRS_PER_PAGE = 20


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _limited(request, target) -> bool:
    return too_many(request, "portal:sign-in", settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE, target=target)


@never_cache
def sign_in(request):
    """The portal's door: a mobile, then the code texted to it. A signed-in customer goes straight home."""
    if access.account(request) is not None and request.method == "GET":
        return redirect(access.next_page(request, "portal:home"))
    form = MobileForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, normalize_identifier(request.POST.get("mobile", ""))):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            try:
                started = services.sign_in_start(mobile=form.cleaned_data["mobile"], address=client_address(request))
            except ValidationError as error:
                _form_errors(form, error)
            else:
                url = redirect("portal:code", token=started.token)
                nxt = access.next_page(request, "")
                if nxt:
                    url["Location"] += "?next=" + nxt
                return url
    return render(request, "portal/sign_in.html", {"form": form, "next": access.next_page(request, "")}, status=status)


@never_cache
def code(request, token):
    started = SignInRequest.objects.filter(token=token, confirmed_at__isnull=True).first()
    if started is None:
        raise Http404
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, token):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            try:
                mobile = services.sign_in_confirm(token=token, code=form.cleaned_data["code"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                access.sign_in(request, mobile)
                return redirect(access.next_page(request, "portal:home"))
    masked = started.mobile[:4] + "•••" + started.mobile[-4:]
    return render(request, "portal/code.html", {"form": form, "masked_mobile": masked,
                                                "next": access.next_page(request, "")}, status=status)


@never_cache
def register(request):
    """A verified mobile with no customer on record: name (and national code) to open the account."""
    mobile = access.signed_in_mobile(request)
    if mobile is None:
        return redirect("portal:sign-in")
    if services.customers_for_mobile(mobile).exists():
        return redirect("portal:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_register(mobile=mobile, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your account is ready. Register a product you bought to see its warranty here."))
            return redirect("portal:home")
    return render(request, "portal/register.html", {"form": form, "mobile": mobile})


@never_cache
def not_found(request, exception):
    """Any 404 under the portal, in the portal's layout (``core.views.page_not_found`` sends it here): the same
    words for another customer's row as for one that does not exist."""
    response = render(request, "portal/404.html", {"account": access.account(request)}, status=404)
    patch_vary_headers(response, ("Cookie",))
    return response


@require_POST
def sign_out(request):
    access.sign_out(request)
    return redirect("portal:sign-in")


@access.customer_required
def home(request):
    account = request.portal
    units = selectors.units(account, limit=HOME_UNITS)  # a unit's warranty state costs: only those shown
    orders = list(selectors.orders(account)[:50])
    open_orders = [order for order in orders if not order.state.is_final]
    waiting = [order for order in open_orders if order.estimate_status == RepairOrder.Estimate.PENDING]
    return render(request, "portal/home.html", {
        "account": account, "units": units, "open_orders": open_orders, "estimates_waiting": waiting,
        "service_requests": list(selectors.service_requests(account)[:5]),
        "surveys": selectors.surveys_waiting(account), "recent": [o for o in orders if o.state.is_final][:3],
    })


@access.customer_required
def unit_list(request):
    return render(request, "portal/units.html", {"account": request.portal, "units": selectors.units(request.portal)})


@access.customer_required
def unit_detail(request, pk):
    account = request.portal
    unit = selectors.unit(account, pk)
    from aftersales.warranty.status import unit_warranty_status

    today = timezone.localdate()
    status = unit_warranty_status(unit, today)
    visits = selectors.unit_visits(unit)
    return render(request, "portal/unit.html", {
        "account": account, "unit": unit, "status": status, "card": selectors.unit_card(unit),
        "entitlements": unit_entitlements(unit, status, visits), "visits": visits,
        "next_visit": selectors.next_visit(visits, today), "today": today,
        "orders": selectors.orders_with_work(account, unit_=unit),
    })


@access.customer_required
def unit_card_pdf(request, pk):
    unit = selectors.unit(request.portal, pk)
    card = selectors.unit_card(unit)
    if card is None:
        raise Http404
    response = HttpResponse(render_pdf("warranty/card.html", {"cards": [card_context(card, request)]}, request),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warranty-card-{card.number}.pdf"'
    return response


@access.customer_required
def repair_list(request):
    """My repairs, a page at a time: the open ones first, then the finished; the requests for service on the first."""
    account = request.portal
    page = Paginator(selectors.orders_open_first(account), REPAIRS_PER_PAGE).get_page(request.GET.get("page"))
    orders = list(page.object_list)
    return render(request, "portal/repairs.html", {
        "account": account, "page": page, "open_orders": [o for o in orders if not o.state.is_final],
        "service_requests": list(selectors.service_requests(account)[:50]) if page.number == 1 else [],
        "closed_orders": [o for o in orders if o.state.is_final]})


@access.customer_required
def repair_detail(request, pk):
    account = request.portal
    order = selectors.order(account, pk)
    if request.method == "POST" and request.POST.get("answer") in ("approve", "refuse"):
        try:
            estimate_answer(order=order, approve=request.POST["answer"] == "approve", channel="portal")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("portal:repair", pk=order.pk)
    steps = [entry for entry in order_timeline(order) if entry.source_id != entry.target_id]
    invoices = selectors.order_invoices(account, order)
    return render(request, "portal/repair.html", {
        "account": account, "order": order, "steps": steps, "estimate": estimates.estimate_figures(order),
        "invoices": invoices, "owed": sum(invoice.owed for invoice in invoices),
        "survey": selectors.survey_for(selectors.surveys_waiting(account), order),
        "center_phone": normalize_identifier(order.center.phone or ""),
    })


@access.customer_required
def repair_receipt_pdf(request, pk):
    order = selectors.order(request.portal, pk)
    handback = request.GET.get("handback") == "1"
    if handback and order.handed_back_at is None:
        raise Http404
    response = HttpResponse(receipt_pdf(order, "a5", request, handback=handback), content_type="application/pdf")
    name = "handback" if handback else "receipt"
    response["Content-Disposition"] = f'inline; filename="{name}-{order.number}.pdf"'
    return response


@access.customer_required
def invoice_pdf(request, pk):
    invoice = selectors.invoice(request.portal, pk)
    pdf = render_pdf("billing/invoice_pdf.html", invoice_document(invoice), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.number}.pdf"'
    return response


@access.customer_required
def service_request(request):
    """Ask for a repair at the center or a home visit (issue 22): it lands in the cartable of the center that
    serves the region, as a draft reception a receptionist confirms."""
    import uuid

    from aftersales.repairs.requests import service_request_submit

    account = request.portal
    units = selectors.units(account)
    customer = account.customer
    address = customer.addresses.select_related("region").order_by("-is_default", "pk").first()
    initial = {"unit": request.GET.get("unit") or (str(units[0].unit.pk) if units else ServiceRequestForm.NOT_REGISTERED),
               "kind": RepairOrder.Kind.IN_CENTER, "window": "any", "submission": uuid.uuid4().hex}
    if address is not None:
        initial.update(region=address.region, address=address.address, postal_code=address.postal_code)
    form = ServiceRequestForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        owner = arguments["unit"].owner if arguments["unit"] is not None else customer
        try:
            sent = service_request_submit(customer=owner, submission_key=form.cleaned_data["submission"],
                                          **{**arguments, "photos": request.FILES.getlist("photos")})
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request reached %(center)s. You will get a text message with the "
                                        "tracking code once the center confirms it.") % {"center": sent.center.name})
            return redirect("portal:home")
    return render(request, "portal/service_request.html", {"account": account, "form": form})


@access.customer_required
@require_POST
def service_request_cancel(request, pk):
    from aftersales.repairs.requests import service_request_cancel as cancel

    found = selectors.service_request(request.portal, pk)
    try:
        cancel(request=found, customer=found.customer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("portal:home")
