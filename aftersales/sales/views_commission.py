"""Pages of the agents' network and their commission (F42): the tree, an agent, the rules, a month's
statements with calculate and approve, a statement with its lines and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.pdf import render_pdf

from . import selectors_commission as selectors
from . import services_commission as services
from .forms_commission import AgentForm, AgentMoveForm, PeriodForm, RuleForm
from .models import Agent, CommissionRule, CommissionStatement


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _period(request) -> tuple[int, int, PeriodForm]:
    year, month = selectors.current_period()
    form = PeriodForm(request.GET or None, initial={"year": year, "month": month})
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    return year, month, form


def _agent(request, pk) -> Agent:
    try:
        return selectors.agent_get(user=request.user, pk=pk)
    except Agent.DoesNotExist:
        raise Http404 from None


# --- Agents ---

@login_required
@permission_required("sales.view_agent", raise_exception=True)
def agent_tree(request):
    year, month = selectors.current_period()
    agents = selectors.agent_tree(user=request.user, year=year, month=month)
    return render(request, "sales/agent_tree.html", {"agents": agents, "year": year, "month": month})


@login_required
@permission_required("sales.add_agent", raise_exception=True)
def agent_create(request):
    form = AgentForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            agent = services.agent_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The agent was added."))
            return redirect("sales:agent-detail", pk=agent.pk)
    return render(request, "sales/agent_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("sales.view_agent", raise_exception=True)
def agent_detail(request, pk):
    agent = _agent(request, pk)
    year, month = selectors.current_period()
    children = selectors.agents_visible(request.user).filter(parent=agent).order_by("code")
    statements = selectors.statement_list(user=request.user, agent=agent.pk)[:24]
    sales = selectors.own_sales(agent_ids=[agent.pk], year=year, month=month).get(agent.pk, 0)
    return render(request, "sales/agent_detail.html", {
        "agent": agent, "children": children, "statements": statements, "month_sales": sales,
        "move_form": AgentMoveForm(agent=agent, initial={"parent": agent.parent_id}),
        "ancestors": selectors.agents_visible(request.user).filter(
            pk__in=[int(part) for part in agent.path.split("/")[:-2]]).order_by("level")})


@login_required
@permission_required("sales.change_agent", raise_exception=True)
@require_POST
def agent_move(request, pk):
    agent = _agent(request, pk)
    form = AgentMoveForm(request.POST, agent=agent)
    if form.is_valid():
        try:
            services.agent_move(agent=agent, parent=form.cleaned_data["parent"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The agent and its sub-agents were moved."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("sales:agent-detail", pk=agent.pk)


@login_required
@permission_required("sales.change_agent", raise_exception=True)
@require_POST
def agent_active(request, pk):
    agent = _agent(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.agent_deactivate(agent=agent, active=active, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agent is active again.") if active else _("The agent was deactivated."))
    return redirect("sales:agent-detail", pk=agent.pk)


# --- Rules ---

def _rule_save(request, rule: CommissionRule | None):
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                services.commission_rule_save(rule=rule, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The commission rule was saved."))
                return redirect("sales:commission-rules")
    else:
        form = RuleForm(initial=RuleForm.initial_for(rule) if rule else {"tier_from": 0})
    return form


@login_required
@permission_required("sales.view_commissionrule", raise_exception=True)
def rule_list(request):
    form = None
    if request.user.has_perm("sales.add_commissionrule"):
        form = _rule_save(request, None)
        if not hasattr(form, "fields"):
            return form
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "sales/commission_rules.html", {"rules": selectors.rule_list(), "form": form},
                  status=400 if form is not None and form.errors else 200)


@login_required
@permission_required("sales.change_commissionrule", raise_exception=True)
def rule_edit(request, pk):
    rule = get_object_or_404(CommissionRule, pk=pk)
    form = _rule_save(request, rule)
    if not hasattr(form, "fields"):
        return form
    return render(request, "sales/commission_rule_form.html", {"rule": rule, "form": form},
                  status=400 if form.errors else 200)


# --- Statements ---

@login_required
@permission_required("sales.view_commissionstatement", raise_exception=True)
def commission_period(request):
    year, month, form = _period(request)
    statements = list(selectors.statement_list(user=request.user, year=year, month=month))
    return render(request, "sales/commission_period.html", {
        "form": form, "year": year, "month": month, "statements": statements,
        "sales": sum(statement.sales for statement in statements),
        "total": sum(statement.total for statement in statements),
        "drafts": sum(statement.status == CommissionStatement.Status.DRAFT for statement in statements)})


def _back(year: int, month: int):
    return redirect(f"{reverse('sales:commission-period')}?year={year}&month={month}")


@login_required
@permission_required("sales.add_commissionstatement", raise_exception=True)
@require_POST
def commission_calculate(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a Jalali year and month."))
        return redirect("sales:commission-period")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    agents = list(selectors.agents_visible(request.user))
    try:
        statements = services.commission_calculate(year=year, month=month, agents=agents, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The commission of %(count)s agents was calculated; approved statements were "
                                    "left as they were.") % {"count": len(statements)})
    return _back(year, month)


@login_required
@permission_required("sales.approve_commissionstatement", raise_exception=True)
@require_POST
def commission_approve(request, pk=None):
    """Approve one statement, or (without ``pk``) every draft of the period shown."""
    if pk is not None:
        chosen = [_statement(request, pk)]
        year, month = chosen[0].year, chosen[0].month
    else:
        form = PeriodForm(request.POST)
        if not form.is_valid():
            raise Http404
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        chosen = list(selectors.statement_list(user=request.user, year=year, month=month,
                                               status=CommissionStatement.Status.DRAFT))
    done = 0
    for statement in chosen:
        try:
            services.commission_approve(statement=statement, acting_user=request.user)
            done += 1
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if done:
        messages.success(request, _("%(count)s statements were approved.") % {"count": done})
    if pk is not None:
        return redirect("sales:commission-statement", pk=pk)
    return _back(year, month)


def _statement(request, pk) -> CommissionStatement:
    try:
        return selectors.statement_get(user=request.user, pk=pk)
    except CommissionStatement.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("sales.view_commissionstatement", raise_exception=True)
def statement_detail(request, pk):
    statement = _statement(request, pk)
    return render(request, "sales/commission_statement.html", {"statement": statement,
                                                               "lines": statement.lines.all()})


@login_required
@permission_required("sales.view_commissionstatement", raise_exception=True)
def statement_pdf(request, pk):
    statement = _statement(request, pk)
    pdf = render_pdf("sales/commission_statement_pdf.html",
                     {"statement": statement, "lines": statement.lines.all(), "printed_at": timezone.now()},
                     request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="commission-{statement.agent.code}-'
                                       f'{statement.year}-{statement.month:02d}.pdf"')
    return response
