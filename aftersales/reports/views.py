"""The report pages: the list by subject, a report with its filters, table, chart and exports, and the
records behind a number. Every page builds through ``selectors`` as the signed-in user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import render as formats
from . import selectors, services
from .filters import FilterError
from .forms import ReportFilterForm, SaveFilterForm, SendForm, SubscribeForm
from .models import SavedFilter, Subscription

PERMISSION = "reports.view_reports"


def _report(request, slug):
    try:
        return selectors.report_get(slug, request.user)
    except selectors.UnknownReport:
        raise Http404 from None


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_list(request):
    subjects: dict[str, list] = {}
    for report in selectors.registry.reports_for(request.user):
        subjects.setdefault(str(report.subject), []).append(report)
    return render(request, "reports/list.html", {"subjects": subjects})


def _params(request):
    """The filters asked for: the query string, or a saved filter's (``saved=<id>``) under it."""
    params = request.GET.copy()
    saved_id = params.get("saved", "")
    if saved_id.isdigit():
        saved = services.saved_filters_for(request.resolver_match.kwargs["slug"], request.user).filter(
            pk=int(saved_id)).first()
        if saved is not None:
            merged = dict(saved.params)
            merged.update({key: value for key, value in params.items() if key != "saved" and value})
            return merged, saved
    return params, None


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_detail(request, slug):
    report = _report(request, slug)
    params, saved = _params(request)
    form = ReportFilterForm(initial=dict(params.items()), user=request.user, report=report)
    context = {"report": report, "form": form, "saved": saved, "errors": {},
               "saved_filters": services.saved_filters_for(slug, request.user),
               "subscriptions": Subscription.objects.filter(user=request.user, report=slug, is_active=True),
               "save_form": SaveFilterForm(), "subscribe_form": SubscribeForm(initial={"email": request.user.email}),
               "send_form": SendForm(initial={"email": request.user.email})}
    try:
        filters, result = selectors.report_run(report, params, request.user)
    except FilterError as error:
        context["errors"] = {_label(form, name): messages_ for name, messages_ in error.errors.items()}
        return render(request, "reports/detail.html", context, status=400)
    context.update(formats.context(report, filters, result, link=lambda drill: _drill_url(report, filters, drill)))
    context["query"] = filters.query()
    context["chart_data"] = _chart_data(report, filters, result)
    return render(request, "reports/detail.html", context)


def _label(form, name):
    field = form.fields.get(name)
    return str(field.label) if field is not None else name


def _drill_url(report, filters, drill: dict | None) -> str:
    if drill is None or not report.drill:
        return ""
    from urllib.parse import urlencode

    params = filters.params()
    params.update({key: str(value) for key, value in drill.items()})
    return reverse("reports:drill", args=[report.slug]) + "?" + urlencode(params)


def _chart_data(report, filters, result) -> dict | None:
    chart = result.chart
    if chart is None:
        return None
    return {"kind": chart.kind, "title": chart.title, "labels": chart.labels, "series": chart.series,
            "links": [_drill_url(report, filters, drill) for drill in chart.drill] if chart.drill else []}


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_export(request, slug, fmt):
    report = _report(request, slug)
    params, _saved = _params(request)
    try:
        filters, result = selectors.report_run(report, params, request.user)
    except FilterError as error:
        return HttpResponse("\n".join(f"{name}: {' '.join(errors)}" for name, errors in error.errors.items()),
                            status=400, content_type="text/plain; charset=utf-8")
    if fmt not in formats.CONTENT_TYPES:
        raise Http404
    maker = {"xlsx": formats.as_xlsx, "csv": formats.as_csv, "pdf": formats.as_pdf}[fmt]
    response = HttpResponse(maker(report, filters, result), content_type=formats.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{formats.filename(report, filters, fmt)}"'
    return response


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_drill(request, slug):
    """The repair orders behind a bar or a row, 50 to a page, exportable to Excel like every list."""
    report = _report(request, slug)
    if report.drill != "orders" or not request.user.has_perm("repairs.view_repairorder"):
        raise Http404
    try:
        filters = selectors.report_filters(report, request.GET, request.user)
        orders = selectors.drill_orders(filters, request.GET)
    except FilterError as error:
        return render(request, "reports/drill.html", {"report": report, "errors": error.errors, "orders": []},
                      status=400)
    if request.GET.get("format") == "xlsx":
        return _drill_export(orders)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    return render(request, "reports/drill.html", {
        "report": report, "orders": page, "page": page, "conditions": filters.describe(),
        "total": page.paginator.count, "export_query": request.GET.copy().urlencode(),
        "back": reverse("reports:detail", args=[slug]) + "?" + filters.query()})


def _drill_export(orders):
    from aftersales.core.exports import xlsx_response

    rows = ([order.number, order.center.name, order.received_at, order.state.name, order.get_kind_display(),
             _("yes") if order.is_warranty else _("no"), str(order.customer), order.serial,
             str(order.product_model or ""), str(order.assignee or ""), order.handed_back_at, order.invoiced_amount]
            for order in orders.iterator(chunk_size=2000))
    headers = [_("number"), _("service center"), _("received at"), _("state"), _("kind"), _("warranty"),
               _("customer"), _("serial"), _("product model"), _("assignee"), _("handed back at"), _("invoiced (rials)")]
    return xlsx_response(filename="report-orders.xlsx", title=str(_("Repair orders")), headers=headers, rows=rows)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def filter_save(request, slug):
    _report(request, slug)
    form = SaveFilterForm(request.POST)
    if form.is_valid():
        try:
            saved = services.saved_filter_save(report=slug, name=form.cleaned_data["name"], params=request.POST,
                                               is_shared=form.cleaned_data["is_shared"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("reports:detail", args=[slug]) + "?" + request.POST.get("query", ""))
        messages.success(request, _("Filter «%(name)s» saved.") % {"name": saved.name})
        return redirect(reverse("reports:detail", args=[slug]) + f"?saved={saved.pk}")
    messages.error(request, _("Give the filter a name."))
    return redirect(reverse("reports:detail", args=[slug]))


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def filter_delete(request, slug, pk):
    saved = get_object_or_404(SavedFilter, pk=pk, report=slug, owner=request.user)
    services.saved_filter_delete(saved=saved, acting_user=request.user)
    messages.success(request, _("Filter deleted."))
    return redirect("reports:detail", slug=slug)


def _mail_action(request, slug, form_class, act, done: str):
    """Run ``act(form.cleaned_data)`` (a service) for the report's filters posted with the form and go back
    to the report as it was shown, with the service's refusal or ``done`` as the message."""
    _report(request, slug)
    form = form_class(request.POST)
    back = reverse("reports:detail", args=[slug]) + "?" + request.POST.get("query", "")
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect(back)
    try:
        act(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Not allowed.")])))
        return redirect(back)
    messages.success(request, done % {"email": form.cleaned_data["email"]})
    return redirect(back)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def report_email(request, slug):
    """Send the report as shown, now, to an address (queued for the worker)."""
    return _mail_action(request, slug, SendForm, lambda data: services.report_send(
        report=slug, params=request.POST, email=data["email"], acting_user=request.user),
        _("The report is on its way to %(email)s with its PDF and Excel."))


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def subscribe(request, slug):
    """Mail the report with these filters daily, weekly or monthly."""
    return _mail_action(request, slug, SubscribeForm, lambda data: services.subscription_create(
        report=slug, email=data["email"], frequency=data["frequency"], params=request.POST,
        acting_user=request.user), _("Subscribed: the report will be mailed to %(email)s."))


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def unsubscribe(request, slug, pk):
    subscription = get_object_or_404(Subscription, pk=pk, report=slug, user=request.user)
    services.subscription_cancel(subscription=subscription, acting_user=request.user)
    messages.success(request, _("Subscription cancelled."))
    return redirect("reports:detail", slug=slug)
