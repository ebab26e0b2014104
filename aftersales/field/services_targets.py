"""Writes of marketing plans and their targets (F46).

A plan and its targets are written together: the targets are replaced as a whole on every change, in
the same transaction, so a plan is never seen with half of its rows. Achievement is not written
anywhere; ``selectors_targets`` computes it from the sales documents, contacts and parties.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once
from aftersales.core.jalali import format_date
from aftersales.core.persian import format_number
from aftersales.organization.scoping import check_center

from .models import Target, TargetPlan

#: The plan's own fields a create or an update takes besides its targets.
PLAN_FIELDS = ("name", "center", "start_date", "end_date", "note")
#: What makes two target rows the same line (a duplicate is refused).
TARGET_KEY = ("metric", "marketer", "region", "territory", "party_type")
MAX_TARGETS = 5000
MAX_DAYS = 366 * 2
MAX_VALUE = 10**15


def team_members(center):
    """The staff of ``center``: the marketers a plan of that team may name."""
    return get_user_model().objects.filter(centers=center, is_active=True)


def _pk(value):
    return getattr(value, "pk", value)


def _rows(targets, *, center) -> list[Target]:
    """The plan's target rows as unsaved targets; every error names its row (``targets[2].value``)."""
    rows, errors, seen = [], {}, {}
    members = set(team_members(center).values_list("pk", flat=True)) if center is not None else set()
    for index, values in enumerate(targets or ()):
        metric, value, marketer = values.get("metric"), values.get("value"), values.get("marketer")
        if metric not in Target.Metric.values:
            errors[f"targets[{index}].metric"] = [_("Choose what the target measures.")]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VALUE:
            errors[f"targets[{index}].value"] = [_("A target is a whole number above zero.")]
        if marketer is not None and center is not None and _pk(marketer) not in members:
            errors[f"targets[{index}].marketer"] = [_("The marketer is not a member of the plan's team.")]
        if values.get("region") is not None and values.get("territory") is not None:
            errors[f"targets[{index}].territory"] = [_("Give a region or a sales territory, not both.")]
        key = tuple(_pk(values.get(name)) for name in TARGET_KEY)
        if key in seen:
            errors[f"targets[{index}].metric"] = [
                _("This target repeats row %(row)s (same measure, marketer, region, territory and customer type).")
                % {"row": format_number(seen[key] + 1)}]
        seen.setdefault(key, index)
        rows.append(Target(metric=metric, value=value, marketer=marketer, region=values.get("region"),
                           territory=values.get("territory"), party_type=values.get("party_type")))
    if not rows:
        errors["targets"] = [_("A plan needs at least one target.")]
    elif len(rows) > MAX_TARGETS:
        errors["targets"] = [_("A plan has at most %(max)s targets.") % {"max": format_number(MAX_TARGETS)}]
    if errors:
        raise ValidationError(errors)
    return rows


def _check(plan: TargetPlan) -> None:
    errors = {}
    try:
        plan.full_clean(exclude=["created_by", "submission_key"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    start, end = plan.start_date, plan.end_date
    if isinstance(start, datetime.date) and isinstance(end, datetime.date):
        if end < start:
            errors.setdefault("end_date", []).append(
                _("The plan ends (%(end)s) before it starts (%(start)s).")
                % {"end": format_date(end), "start": format_date(start)})
        elif (end - start).days >= MAX_DAYS:
            errors.setdefault("end_date", []).append(_("A plan covers at most two years."))
    if errors:
        raise ValidationError(errors)


def _summary(rows: list[Target]) -> str:
    counts = {}
    for row in rows:
        counts[row.metric] = counts.get(row.metric, 0) + 1
    return "، ".join(f"{Target.Metric(metric).label}: {format_number(count)}" for metric, count in counts.items())


@claimed_once(TargetPlan)
@transaction.atomic
def target_plan_create(*, name: str, center, start_date: datetime.date, end_date: datetime.date,
                       targets: list[dict], note: str = "", acting_user,
                       submission_key: str | None = None) -> TargetPlan:
    """Make a marketing plan with its targets.

    ``targets``: ``[{"metric", "value", "marketer", "region", "territory", "party_type"}]`` (all but the
    measure and the value optional). Refused: a plan ending before it starts, a target of zero or less, a
    marketer who is not of the plan's team, a region and a territory on one row, two rows alike and a
    team that is not the user's. A repeated ``submission_key`` returns the plan made the first time.
    Implements F46.
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = TargetPlan.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
    plan = TargetPlan(name=name, center=center, start_date=start_date, end_date=end_date, note=note or "",
                      created_by=acting_user, submission_key=key)
    _check(plan)
    check_center(acting_user, center)
    rowscope.check_write(plan, acting_user)
    rows = _rows(targets, center=center)
    plan._history_user = acting_user
    plan.save(force_insert=True)
    update_change_reason(plan, _("plan made with %(targets)s") % {"targets": _summary(rows)})
    for row in rows:
        row.plan = plan
    Target.objects.bulk_create(rows)
    return plan


@transaction.atomic
def target_plan_update(*, plan: TargetPlan, acting_user, targets: list[dict] | None = None,
                       **values) -> TargetPlan:
    """Change a plan; ``targets`` replaces all its targets (without it they stay, and must still fit the
    plan: a marketer of another team is refused when the team changes). Implements F46."""
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    rowscope.check_write(plan, acting_user)
    for name, value in values.items():
        if name in PLAN_FIELDS:
            setattr(plan, name, value if name != "note" else (value or ""))
    _check(plan)
    check_center(acting_user, plan.center)
    rowscope.check_write(plan, acting_user)
    if targets is None:
        targets = [{name: getattr(row, name) for name in (*TARGET_KEY, "value")} for row in plan.targets.all()]
    rows = _rows(targets, center=plan.center)
    plan._history_user = acting_user
    plan.save()
    update_change_reason(plan, _("plan changed; targets now %(targets)s") % {"targets": _summary(rows)})
    plan.targets.all().delete()
    for row in rows:
        row.plan = plan
    Target.objects.bulk_create(rows)
    return plan
