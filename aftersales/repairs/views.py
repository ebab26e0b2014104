import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aftersales.core.limits import too_many
from aftersales.core.pdf import render_pdf
from aftersales.core.persian import normalize_identifier
from aftersales.stock.selectors import warehouses_by_center
from aftersales.warranty.status import unit_warranty_status, warranty_status
from aftersales.workflow.chart import workflow_svg
from aftersales.workflow.engine import transitions_available

from . import estimates, selectors, services
from .forms import (
    EstimateForm, EstimateLineFormSet, EstimateOverrideForm, FaultForm, HandBackForm, OperationForm, OrderFilterForm, PartForm, PartReturnForm, PartSerialsForm,
    PerformanceForm, PeriodForm, ReceptionForm, ReferForm, StepForm, estimate_catalog_choices,
)
from .models import RepairOrder
from .panels import history_facts, order_panels
from .views_parts import issue_form


def _errors_to_messages(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _order(request, pk) -> RepairOrder:
    return get_object_or_404(selectors.orders_for(request.user), pk=pk)


@login_required
@permission_required("repairs.add_repairorder", raise_exception=True)
def reception(request):
    """The reception desk (F10, F33, F36): find or register the customer and the unit, record, print."""
    initial = {"submission": secrets.token_urlsafe(16), "serial": request.GET.get("serial", ""),
               "mobile": request.GET.get("mobile", "")}
    # A free slot of the home visits schedule opens the desk with the home call, center, technician and time.
    initial.update({name: request.GET[name] for name in ("kind", "center", "assignee", "appointment_at")
                    if request.GET.get(name)})
    form = ReceptionForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        override = {"yes": True, "no": False}.get(data["warranty_override"])
        try:
            order = services.reception_create(
                center=data["center"], customer_mobile=data["mobile"], customer_name=data["customer_name"],
                acting_user=request.user, description=data["description"], serial=data["serial"],
                unit=_chosen(data["serial"], data["unit"]),
                product_model=data["product_model"], kind=data["kind"], accessories=data["accessories"],
                condition=data["condition"], promised_on=data["promised_on"], address=data["address"],
                appointment_at=data["appointment_at"], faults=[(data["fault_code"], "")] if data["fault_code"] else [],
                warranty_override=override, override_reason=data["override_reason"], submission_key=data["submission"],
                assignee=data["assignee"],
                photos=data["photos"], customer_national_code=data["national_code"],
                brought_by_name=data["brought_by_name"], brought_by_mobile=data["brought_by_mobile"], require_model=True,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    field = {"customer_mobile": "mobile", "customer_national_code": "national_code"}.get(field, field)
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except PermissionDenied as denied:
            form.add_error("warranty_override", str(denied))
        else:
            messages.success(request, _("Order %(number)s was received; tracking code %(code)s.")
                             % {"number": order.number, "code": order.tracking_code})
            return redirect("repairs:order", pk=order.pk)
    return render(request, "repairs/reception.html", {"form": form}, status=400 if form.errors else 200)


def _chosen(number: str, unit_id) -> "ProductUnit | None":
    """The unit chosen among those ``number`` names (an invoice of several units), if it is one of them."""
    from aftersales.catalog.lookup import unit_lookup

    if not unit_id or not number:
        return None
    return next((match.unit for match in unit_lookup(number) if match.unit.pk == int(unit_id)), None)


@login_required
@permission_required("repairs.add_repairorder", raise_exception=True)
def reception_warranty(request):
    """The warranty of the unit whose number is being typed — serial, warranty card, sale invoice,
    subscription… (issue 20) — shown before the order is saved (htmx); a number of several units lists
    them to choose from."""
    from aftersales.catalog.lookup import unit_lookup

    serial = request.GET.get("serial", "").strip()
    matches = unit_lookup(serial) if serial else []
    unit_id = request.GET.get("unit", "")
    match = next((m for m in matches if unit_id.isdigit() and m.unit.pk == int(unit_id)), None)
    if match is None and len(matches) == 1:
        match = matches[0]
    if match is not None:
        status = unit_warranty_status(match.unit)
    else:
        status = warranty_status(serial=serial) if serial and not matches else None
    history = []
    if status is not None and status.unit is not None:  # the visits of the user's centers, not the network's
        history = selectors.history(unit=status.unit.pk).filter(
            pk__in=selectors.orders_for(request.user).values("pk"))[:5]
    # An order still open for this serial (registered or not) at the user's centers: a second one is likely
    # a mistake, so the receptionist sees it, with its link, before receiving again.
    open_orders = list(selectors.orders_for(request.user).filter(
        serial=match.unit.serial_key if match else normalize_identifier(serial),
        state__is_final=False).select_related("state")[:5]) if serial and (match or not matches) else []
    from .reception import coverage_panels

    return render(request, "repairs/partials/warranty_preview.html",
                  {"status": status, "serial": serial, "history": history, "open_orders": open_orders,
                   "match": match, "matches": matches if len(matches) > 1 else [],
                   "coverage": coverage_panels(request, match.unit) if match else []})


@login_required
@permission_required("repairs.add_repairorder", raise_exception=True)
def reception_customer(request):
    """Who the mobile being typed belongs to (htmx): the receptionist confirms the customer's name and
    national code against the ID card; the name and code fields are filled for a known customer."""
    from aftersales.core.validators import normalize_mobile, validate_mobile
    from aftersales.customers.models import Customer

    mobile = normalize_mobile(request.GET.get("mobile", "").strip())
    try:
        validate_mobile(mobile)
    except ValidationError:
        return render(request, "repairs/partials/customer_preview.html", {"mobile": mobile, "incomplete": True})
    customer = Customer.objects.filter(mobile=mobile, merged_into__isnull=True).first()
    fill = None
    if customer is not None:
        form = ReceptionForm(initial={"customer_name": customer.known_name, "national_code": customer.national_code},
                             user=request.user)
        fill = [form["customer_name"].as_widget(attrs={"hx-swap-oob": "true"}),
                form["national_code"].as_widget(attrs={"hx-swap-oob": "true"})]
    return render(request, "repairs/partials/customer_preview.html",
                  {"mobile": mobile, "customer": customer, "fill": fill})


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_list(request):
    """Orders by number, tracking code, serial or the customer's mobile, filtered, 50 to a page."""
    form = OrderFilterForm(request.GET or None)
    orders = selectors.order_search(selectors.orders_for(request.user), **_order_filters(form))
    page = Paginator(selectors.order_table_rows(orders.order_by("-received_at")), 50).get_page(request.GET.get("page"))
    return render(request, "repairs/order_list.html", {
        "form": form, "orders": page, "page": page, "querystring": request.GET.urlencode()})


def _order_filters(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")} \
        if form.is_bound and form.is_valid() else {}


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_export(request):
    """The list as filtered, in Excel (Persian headers, Jalali dates)."""
    from aftersales.core.exports import xlsx_response

    orders = selectors.order_search(selectors.orders_for(request.user), **_order_filters(OrderFilterForm(request.GET)))
    orders = orders.select_related("state", "customer", "product_model", "center", "assignee").order_by("-received_at")
    rows = ([order.number, order.center.name, order.received_at, order.state.name, order.get_kind_display(),
             _("yes") if order.is_warranty else _("no"), str(order.customer), order.customer.mobile, order.serial,
             str(order.product_model or ""), str(order.assignee or ""), order.due_at]
            for order in orders.iterator(chunk_size=2000))
    headers = [_("number"), _("service center"), _("received at"), _("state"), _("kind"), _("warranty"),
               _("customer"), _("mobile"), _("serial"), _("product model"), _("assignee"), _("due at")]
    return xlsx_response(filename="repair-orders.xlsx", title=str(_("Repair orders")), headers=headers, rows=rows)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_detail(request, pk):
    order = _order(request, pk)
    can_change = request.user.has_perm("repairs.change_repairorder")
    context = {
        "order": order, "timeline": selectors.order_timeline(order),
        "steps": transitions_available(order, request.user) if can_change else [],
        "chart": workflow_svg(order.state.workflow, current_state_id=order.state_id),
        "faults": order.faults.select_related("fault_code"), "photos": order.photos.all(), "operations": order.operations.select_related("service_item", "technician"),
        "part_rows": _part_rows(order, request.user), "can_change": can_change,
        **_estimate_context(order, request.user),
        "hand_back_form": HandBackForm(initial={"version": order.version}),
        "fault_form": FaultForm(), "operation_form": OperationForm(), "part_form": PartForm(order=order),
        "refer_form": ReferForm(), "suggestions": selectors.assignee_suggestions(order, user=request.user) if can_change else [],
        "warranty_now": unit_warranty_status(order.unit) if order.unit_id else None,
        "tracking_url": services.tracking_url(order),
        "estimate_news": selectors.estimate_is_news(order),
        "panels": order_panels(request, order),  # other apps' panels (feedback: the order's complaints)
    }
    people = context["refer_form"].fields["to_user"]
    people.queryset = people.queryset.filter(centers=order.center)  # the order's center; referring elsewhere names the center
    teams = context["refer_form"].fields["to_team"]
    teams.queryset = teams.queryset.filter(center=order.center)
    return render(request, "repairs/order_detail.html", context)


def _part_rows(order, user) -> list:
    """Each part line with the forms this user may use on it."""
    keeper, technician = user.has_perm("stock.add_stockmove"), user.has_perm("repairs.change_repairorder")
    warehouses = warehouses_by_center([order.center_id]).get(order.center_id, []) if keeper else []
    rows = []
    for line in order.part_lines.select_related("spare_part"):
        forms = {}
        if keeper and line.outstanding:
            forms["issue"] = issue_form(line, warehouses)
        if keeper and line.used_quantity:
            forms["return"] = PartReturnForm(initial={"quantity": line.used_quantity, "version": line.version},
                                             prefix=f"r{line.pk}")
        if technician and line.issued_quantity:
            forms["serials"] = PartSerialsForm(initial={"new_serial": line.new_serial, "old_serial": line.old_serial,
                                                        "fate": line.old_part_fate or "pending"}, prefix=f"s{line.pk}")
        rows.append((line, forms))
    return rows


def _back(order) -> HttpResponse:
    return redirect("repairs:order", pk=order.pk)


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_step(request, pk):
    order = _order(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The step could not be read; reload the page."))
        return _back(order)
    try:
        if form.cleaned_data["code"] in ("hand_back", "return_unrepaired"):
            hand_back = HandBackForm(request.POST)
            if not hand_back.is_valid():
                raise ValidationError(_("Write who took the unit and the ID you checked."))
            order = services.order_hand_back(order=order, handed_back_to=hand_back.cleaned_data["handed_back_to"],
                                             acting_user=request.user, version=form.cleaned_data["version"],
                                             code=form.cleaned_data["code"])
        else:
            order = services.order_transition(order=order, code=form.cleaned_data["code"], acting_user=request.user,
                                              comment=form.cleaned_data["comment"], version=form.cleaned_data["version"])
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("The order is now «%(state)s».") % {"state": order.state.name})
    return _back(order)


def _post_action(request, pk, form_class, action):
    order = _order(request, pk)
    form = form_class(request.POST, order=order) if getattr(form_class, "takes_order", False) else form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return _back(order)
    try:
        action(order, form.cleaned_data)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Saved."))
    return _back(order)


def _estimate_context(order, user, formset=None) -> dict:
    """The estimate card: its figures, the lines form (the lines on record, then empty rows) and the
    manager's override form."""
    figures = estimates.estimate_figures(order)
    if formset is None:
        initial = [{"kind": line.kind, "description": line.description, "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "item": f"service:{line.service_item_id}" if line.service_item_id else
                    (f"part:{line.spare_part_id}" if line.spare_part_id else "")} for line in figures.lines]
        formset = EstimateLineFormSet(initial=initial, prefix="line",
                                      form_kwargs={"catalog": estimate_catalog_choices(order)})
    return {"estimate": figures, "estimate_formset": formset, "invoice_limit": estimates.invoice_limit(order),
            "tolerance": settings.REPAIRS_ESTIMATE_TOLERANCE_PERCENT,
            "override_form": EstimateOverrideForm() if user.has_perm("repairs.override_estimate") else None}


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_estimate(request, pk):
    """Put the estimate's lines to the customer (a single amount, as older pages post it, still works)."""
    if "estimate_amount" in request.POST:
        return _post_action(request, pk, EstimateForm, lambda order, data: services.estimate_set(
            order=order, amount=data["estimate_amount"], acting_user=request.user))
    order = _order(request, pk)
    formset = EstimateLineFormSet(request.POST, prefix="line", form_kwargs={"catalog": estimate_catalog_choices(order)})
    if not formset.is_valid():
        messages.error(request, " ".join(str(error) for form in formset for errors in form.errors.values()
                                         for error in errors) or " ".join(formset.non_form_errors()))
        return _back(order)
    try:
        estimates.estimate_lines_set(order=order, lines=[line for form in formset if (line := form.line())],
                                     acting_user=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("The estimate was put to the customer."))
    return _back(order)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
@require_POST
def order_estimate_override(request, pk):
    """A manager allows invoicing above the approved estimate, with the reason (kept in the history)."""
    if not request.user.has_perm("repairs.override_estimate"):
        raise PermissionDenied
    return _post_action(request, pk, EstimateOverrideForm, lambda order, data: estimates.estimate_override(
        order=order, amount=data["amount"], reason=data["reason"], acting_user=request.user))


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_estimate_by_phone(request, pk):
    order = _order(request, pk)
    try:
        services.estimate_answer(order=order, approve=request.POST.get("answer") == "approve", channel="phone",
                                 acting_user=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    return _back(order)


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_estimate_seen(request, pk):
    """Staff saw the customer's answer to the estimate: it leaves the cartables' flag."""
    order = _order(request, pk)
    try:
        services.estimate_answer_seen(order=order, acting_user=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    return _back(order)


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_fault(request, pk):
    return _post_action(request, pk, FaultForm, lambda order, data: services.fault_add(
        order=order, acting_user=request.user, fault_code=data["fault_code"], note=data["note"]))


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_operation(request, pk):
    return _post_action(request, pk, OperationForm, lambda order, data: services.operation_add(
        order=order, acting_user=request.user, service_item=data["service_item"], minutes=data["minutes"], note=data["note"]))


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_part(request, pk):
    return _post_action(request, pk, PartForm, lambda order, data: services.part_request(
        order=order, acting_user=request.user, spare_part=data["spare_part"], quantity=data["quantity"], note=data["note"]))


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_refer(request, pk):
    def refer(order, data):
        if data["to_center"] and data["to_center"] != order.center and not request.user.has_perm("repairs.refer_repairorder"):
            raise ValidationError(_("Your role may not refer orders to another center."))
        services.order_refer(order=order, acting_user=request.user, reason=data["reason"], to_user=data["to_user"],
                             to_center=data["to_center"], to_team=data["to_team"])

    return _post_action(request, pk, ReferForm, refer)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_receipt(request, pk):
    order = _order(request, pk)
    return render(request, "repairs/receipt.html", _receipt_context(order, "a5", request))


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_handback_receipt(request, pk):
    """What was done and who took the unit, to sign at hand-back (F17)."""
    order = _order(request, pk)
    return render(request, "repairs/receipt.html", {**_receipt_context(order, "a5", request), "handback": True})


def _receipt_context(order, size: str, request) -> dict:
    import segno

    # The customer scans it from outside: the public address (SITE_URL), as in the SMS.
    url = services.tracking_url(order)
    return {"order": order, "size": size, "tracking_url": url, "faults": order.faults.select_related("fault_code"),
            "qr_svg": segno.make(url, error="m").svg_inline(scale=3, border=1, omitsize=True),
            "code_grouped": "-".join(order.tracking_code[i:i + 4] for i in range(0, len(order.tracking_code), 4))}


def receipt_pdf(order, size: str, request, *, handback: bool = False) -> bytes:
    """The reception's receipt (or, with ``handback``, the hand-back receipt) as PDF; also the customer portal's."""
    return render_pdf("repairs/receipt_pdf.html", {**_receipt_context(order, size, request), "handback": handback},
                      request)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_receipt_pdf(request, pk, size):
    if size not in ("a5", "80mm"):
        raise Http404
    order = _order(request, pk)
    handback = request.GET.get("handback") == "1"  # the hand-back receipt's print, not the reception's
    response = HttpResponse(receipt_pdf(order, size, request, handback=handback), content_type="application/pdf")
    name = "handback" if handback else "receipt"
    response["Content-Disposition"] = f'inline; filename="{name}-{order.number}-{size}.pdf"'
    return response


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def my_cartable(request):
    """The user's work (F18), opened on the tab that holds it: see ``selectors.cartable_default_scope``."""
    scopes = selectors.cartable_scopes(request.user)
    scope = request.GET.get("scope")
    if scope not in scopes:
        scope = selectors.cartable_default_scope(request.user)
    data = selectors.cartable(request.user, scope=scope)
    pages = Paginator(data["orders"], 50)
    pages.count = data["total"]  # known from the counts per state: no second COUNT query
    page = pages.get_page(request.GET.get("page"))
    return render(request, "repairs/cartable.html", {**data, "orders": page, "page": page, "scope": scope,
                                                     "scopes": scopes, "can_take": scope == "pool",
                                                     **_customer_requests(request.user)})


#: The pending requests from customers the cartable lists; the rest are counted.
CARTABLE_REQUESTS = 20


def _customer_requests(user) -> dict:
    """The customers' service requests waiting at the user's centers (issue 22), for those who receive."""
    if not user.has_perm("repairs.add_repairorder"):
        return {}
    from .requests import service_requests_pending

    pending = service_requests_pending(user)
    rows = list(pending[:CARTABLE_REQUESTS])
    total = len(rows) if len(rows) < CARTABLE_REQUESTS else pending.count()
    return {"customer_requests": rows, "customer_requests_total": total, "may_receive": True}


@login_required
@permission_required("repairs.change_repairorder", raise_exception=True)
@require_POST
def order_take(request, pk):
    """Take an order from the cartable's pool; back to the pool, or on to the order once taken."""
    order = _order(request, pk)
    try:
        services.order_take(order=order, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("repairs:cartable") + "?scope=pool")
    messages.success(request, _("Order %(number)s is yours now.") % {"number": order.number})
    return _back(order)


@never_cache
def track(request, code):
    """The customer follows their order (F41): states in plain words, the promised date, the estimate."""
    code = services.tracking_code_clean(code)
    if too_many(request, "repairs:track", settings.TRACKING_CHECKS_PER_MINUTE, target=code):
        return render(request, "repairs/track.html", {"limited": True}, status=429)
    order = RepairOrder.objects.select_related("state", "center", "product_model").filter(tracking_code=code).first()
    if order is None:
        return render(request, "repairs/track.html", {"unknown": True}, status=404)
    if request.method == "POST" and request.POST.get("answer") in ("approve", "refuse"):
        try:
            services.estimate_answer(order=order, approve=request.POST["answer"] == "approve", channel="web")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("track", args=[order.tracking_code]))
    steps = [entry for entry in selectors.order_timeline(order) if entry.source_id != entry.target_id]
    return render(request, "repairs/track.html", {"order": order, "steps": steps,
                                                  "estimate": estimates.estimate_figures(order),
                                                  "center_phone": normalize_identifier(order.center.phone or "")})


def unit_history_panel(request, unit) -> dict:
    """Every visit of the unit, each opening to all that was recorded on it, on its page (F15, F20)."""
    return {"history": selectors.history_timeline(user=request.user, unit=unit,
                                                  facts=lambda orders: history_facts(request, orders))}


def customer_history_panel(request, customer) -> dict:
    """Every visit of the customer, each opening to all that was recorded on it, on their page (F21, F27)."""
    return {"history": selectors.history_timeline(user=request.user, customer=customer,
                                                  facts=lambda orders: history_facts(request, orders)),
            "show_unit": True}


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def performance(request):
    """Per technician: orders handled, closed, overdue, time per state, rework (F18), over Jalali dates."""
    form = PerformanceForm(request.GET or None)
    start = end = center = None
    if form.is_valid():
        start, end, center = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["center"]
    rows = selectors.technician_performance(user=request.user, start=start, end=end, center=center)
    return render(request, "repairs/performance.html", {"form": form, "rows": rows})


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def order_photo(request, pk, photo_pk):
    """A photo of the order, to staff who may see the order (never a public media URL)."""
    from django.http import FileResponse

    order = _order(request, pk)
    photo = get_object_or_404(order.photos, pk=photo_pk)
    return FileResponse(photo.image.open("rb"))
