"""The pages of marketing plans: the plans with the network's roll-up, a plan's form with its target rows,
a plan's page (a table per measure, roll-ups per marketer and region, the chart against the straight-line
pace) and the marketer's own targets (F46)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_trail
from aftersales.core.jalali import format_date

from . import services_targets
from .forms_targets import TargetFormSet, TargetPlanForm, target_rows
from .models import Target, TargetPlan
from .selectors_targets import (
    achievement, can_see_all_targets, elapsed_share, my_targets, network, plan_days, plan_list, plan_targets, rollups,
)

PAGE_SIZE = 25


@login_required
@permission_required("field.view_targetplan", raise_exception=True)
def target_plan_list_view(request):
    """The plans the user may see; for managers, the network's roll-up of the plans running today."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(plan_list(user=request.user, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "field/target_plan_list.html", {
        "page": page, "plans": page.object_list, "querystring": querystring.urlencode(), "query": query,
        "network": network(user=request.user) if can_see_all_targets(request.user) else None})


def _chart(plan: TargetPlan, items) -> dict:
    """Each charted target's cumulative achievement per day against the straight line to its value."""
    days = plan_days(plan)
    count = len(days)
    return {"labels": [format_date(day) for day in days], "targets": [
        {"label": f"{item.target.get_metric_display()} · {_describe(item.target)}", "achieved": item.series,
         "pace": [round(item.target.value * (index + 1) / count) for index in range(count)]}
        for item in items if item.series],
        "achievedLabel": _("achieved"), "paceLabel": _("straight-line pace")}


def _describe(target: Target) -> str:
    parts = [target.marketer.get_full_name() or target.marketer.username if target.marketer_id else _("the whole team")]
    parts += [str(name) for name in (target.region, target.territory, target.party_type) if name is not None]
    return "، ".join(parts)


@login_required
@permission_required("field.view_targetplan", raise_exception=True)
def target_plan_detail(request, pk):
    plan = get_object_or_404(plan_list(user=request.user), pk=pk)
    items = achievement(plan, plan_targets(plan, request.user), series=True)
    tables = [{"metric": value, "label": label, "items": [item for item in items if item.target.metric == value]}
              for value, label in Target.Metric.choices]
    return render(request, "field/target_plan_detail.html", {
        "plan": plan, "tables": [table for table in tables if table["items"]], "rollups": rollups(items),
        "elapsed": round(100 * elapsed_share(plan)), "chart": _chart(plan, items),
        "entries": audit_trail(plan) if can_see_all_targets(request.user) else None})


def _initial_rows(plan: TargetPlan) -> list[dict]:
    return [{"metric": row.metric, "marketer": row.marketer_id, "party_type": row.party_type_id,
             "region": row.region_id, "territory": row.territory_id, "value": row.value}
            for row in plan.targets.order_by("metric", "pk")]


def _form_errors(form, formset, error: ValidationError) -> None:
    """A service's errors on the form's fields, a target row's on its row, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    rows = [row for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
    for name, texts in error.message_dict.items():
        if name.startswith("targets["):
            index, _sep, field = name[len("targets["):].partition("].")
            if index.isdigit() and int(index) < len(rows) and field in rows[int(index)].fields:
                rows[int(index)].add_error(field, texts)
                continue
        if name.startswith("targets"):
            formset._non_form_errors = formset.non_form_errors() + texts
        else:
            form.add_error(name if name in form.fields else None, texts)


def _plan_form(request, *, plan: TargetPlan | None):
    editing = plan is not None
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(plan, name) for name in services_targets.PLAN_FIELDS} if editing else {}
    form = TargetPlanForm(data, user=request.user, editing=editing, initial=initial)
    formset = TargetFormSet(data, prefix="targets", user=request.user,
                            initial=_initial_rows(plan) if editing and data is None else None)
    if data is not None and form.is_valid() and formset.is_valid():
        values = dict(form.cleaned_data)
        key = values.pop("submission_key", None) or None
        try:
            if editing:
                plan = services_targets.target_plan_update(plan=plan, acting_user=request.user,
                                                           targets=target_rows(formset), **values)
            else:
                plan = services_targets.target_plan_create(acting_user=request.user, targets=target_rows(formset),
                                                           submission_key=key, **values)
        except ValidationError as error:
            _form_errors(form, formset, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("field:target-plan-detail", pk=plan.pk)
    return render(request, "field/target_plan_form.html", {"form": form, "formset": formset, "plan": plan})


@login_required
@permission_required("field.add_targetplan", raise_exception=True)
def target_plan_create_view(request):
    return _plan_form(request, plan=None)


@login_required
@permission_required("field.change_targetplan", raise_exception=True)
def target_plan_edit(request, pk):
    return _plan_form(request, plan=get_object_or_404(plan_list(user=request.user), pk=pk))


@login_required
@permission_required("field.view_targetplan", raise_exception=True)
def my_targets_view(request):
    """The marketer's own targets in the plans running today, with their achievement and pace."""
    return render(request, "field/target_mine.html", {"plans": my_targets(user=request.user)})
