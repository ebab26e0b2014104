"""The pages of visit expenses: the marketer's «my expenses» and phone form, the team's list with filters,
a manager's approval queue, an expense's page with its receipt photo (served through a scoped view, never
a public media URL), totals per marketer, tour and month, and the accountant's Excel of approved expenses
(F58)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftersales.core.audit import audit_trail
from aftersales.core.filters import id_or_none
from aftersales.organization.models import User

from . import services_expenses
from .forms_expenses import ExpenseForm, RefuseForm
from .models import Tour, VisitExpense
from .selectors_expenses import (approval_queue, expense_list, expense_totals, marketers_for, month_key, sees_team,
                                 tours_for)

PAGE_SIZE = 25
EXPORT_LIMIT = 50_000
VIEW = "field.view_visitexpense"


def _filters(request) -> dict:
    params = request.GET
    return {
        "marketer": id_or_none(params.get("marketer", ""), User),
        "status": params.get("status", "") if params.get("status") in VisitExpense.Status.values else "",
        "kind": params.get("kind", "") if params.get("kind") in VisitExpense.Kind.values else "",
        "month": params.get("month", "").replace("\x00", "").strip()[:10],
        "tour": id_or_none(params.get("tour", ""), Tour),
    }


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return page, querystring.urlencode()


def _choices(request) -> dict:
    return {"kinds": VisitExpense.Kind.choices, "statuses": VisitExpense.Status.choices,
            "marketers": marketers_for(request.user) if sees_team(request.user) else [],
            "tours": tours_for(request.user)[:200], "params": request.GET}


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def expense_list_view(request):
    """Expenses of the user's centers (their own for a marketer), filtered by marketer, status, kind,
    Jalali month and tour."""
    filters = _filters(request)
    page, querystring = _page(request, expense_list(user=request.user, **filters))
    return render(request, "field/expense_list.html", {
        "page": page, "expenses": page.object_list, "querystring": querystring, "filters": filters,
        "team": sees_team(request.user), "title": _("Visit expenses"), **_choices(request)})


@login_required
@permission_required("field.add_visitexpense", raise_exception=True)
@require_safe
def expense_mine(request):
    """The marketer's own expenses of a Jalali month (this one by default) with the month's totals."""
    from django.utils import timezone

    filters = _filters(request)
    filters["month"] = filters["month"] or month_key(timezone.localdate())
    expenses = expense_list(user=request.user, own=True, **{**filters, "marketer": None})
    rows, grand = expense_totals(user=request.user, by="month", own=True, month=filters["month"])
    return render(request, "field/expense_mine.html", {"expenses": expenses[:200], "grand": grand,
                                                       "filters": filters, "params": request.GET})


@login_required
@permission_required("field.add_visitexpense", raise_exception=True)
def expense_create(request):
    """File an expense from the phone: day, kind, amount, the receipt's photo (camera), tour or visit."""
    form = ExpenseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "GET":
        tour = id_or_none(request.GET.get("tour", ""), Tour)
        if tour and form.fields["tour"].queryset.filter(pk=tour).exists():
            form.initial["tour"] = tour
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            expense = services_expenses.expense_submit(acting_user=request.user, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The expense was filed and awaits approval."))
            return redirect("field:expense-detail", pk=expense.pk)
    return render(request, "field/expense_form.html", {"form": form})


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _expense(request, pk) -> VisitExpense:
    return get_object_or_404(expense_list(user=request.user), pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def expense_detail(request, pk):
    expense = _expense(request, pk)
    user = request.user
    may_decide = (expense.status == VisitExpense.Status.PENDING and user.has_perm("field.approve_visitexpense")
                  and expense.marketer_id != user.pk)
    return render(request, "field/expense_detail.html", {
        "expense": expense, "may_decide": may_decide, "refuse_form": RefuseForm(),
        "may_withdraw": expense.status == VisitExpense.Status.PENDING and expense.marketer_id == user.pk,
        "entries": audit_trail(expense)})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def expense_receipt(request, pk):
    """The receipt's photo, to those who may read the expense (never a public media URL)."""
    expense = _expense(request, pk)
    if not expense.receipt:
        raise Http404
    try:
        handle = expense.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@permission_required("field.approve_visitexpense", raise_exception=True)
@require_POST
def expense_decide(request, pk, action):
    expense = _expense(request, pk)
    try:
        if action == "approve":
            services_expenses.expense_approve(expense=expense, acting_user=request.user)
            messages.success(request, _("The expense was approved."))
        else:
            services_expenses.expense_refuse(expense=expense, acting_user=request.user,
                                             reason=request.POST.get("reason", "").replace("\x00", ""))
            messages.success(request, _("The expense was refused."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("back") == "queue":
        return redirect("field:expense-queue")
    return redirect("field:expense-detail", pk=expense.pk)


@login_required
@permission_required("field.add_visitexpense", raise_exception=True)
@require_POST
def expense_withdraw(request, pk):
    expense = _expense(request, pk)
    try:
        services_expenses.expense_withdraw(expense=expense, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("field:expense-detail", pk=expense.pk)
    messages.success(request, _("The expense was withdrawn."))
    return redirect("field:expense-mine")


@login_required
@permission_required("field.approve_visitexpense", raise_exception=True)
@require_safe
def expense_queue(request):
    """The pending expenses of the manager's centers, oldest first, to approve or refuse with a reason."""
    page, querystring = _page(request, approval_queue(user=request.user))
    return render(request, "field/expense_queue.html", {"page": page, "expenses": page.object_list,
                                                        "querystring": querystring, "refuse_form": RefuseForm()})


TOTALS_BY = {"marketer": "marketer", "tour": "tour", "month": "month"}


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def expense_totals_view(request):
    """Approved, pending and refused amounts per marketer, tour or Jalali month, with the list's filters."""
    by = TOTALS_BY.get(request.GET.get("by", ""), "marketer")
    filters = _filters(request)
    rows, grand = expense_totals(user=request.user, by=by, **filters)
    return render(request, "field/expense_totals.html", {"rows": rows, "grand": grand, "by": by,
                                                         "filters": filters, **_choices(request)})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def expense_export(request):
    """The approved expenses (with the list's filters) as an Excel sheet for the accountant, Jalali dates."""
    from aftersales.core.exports import xlsx_response

    if not sees_team(request.user):
        raise PermissionDenied
    filters = {**_filters(request), "status": VisitExpense.Status.APPROVED}
    expenses = expense_list(user=request.user, **filters).order_by("spent_on", "pk")[:EXPORT_LIMIT]
    headers = [_("date"), _("marketer"), _("team"), _("kind"), _("amount in rials"), _("tour"), _("visit"),
               _("description"), _("approved by"), _("approved at"), _("photo of the receipt")]
    rows = ([expense.spent_on, expense.marketer.get_full_name() or expense.marketer.username, expense.center.name,
             expense.get_kind_display(), expense.amount, expense.tour.name if expense.tour else "",
             str(expense.stop.customer) if expense.stop else "", expense.description,
             (expense.decided_by.get_full_name() or expense.decided_by.username) if expense.decided_by else "",
             expense.decided_at, _("yes") if expense.receipt else _("no")] for expense in expenses)
    return xlsx_response(filename="visit-expenses.xlsx", title=_("Approved visit expenses"), headers=headers,
                         rows=rows)
