"""A workflow as one JSON-safe definition: read, drafted, checked, published, restored, exported, imported.

The definition is what the designer edits, what each published version keeps and what an export file
holds. A state's code is its identity across versions: publishing updates states by code, creates new
ones and retires the removed ones (the history of records still names them); records in a removed
state are moved where the publisher says, each move kept in the record's history. Implements issue 14.
"""

import copy
import datetime
import json
import re
from collections import deque
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.jalali import format_datetime
from aftersales.core.forms import number_text

from . import engine
from .models import State, Transition, TransitionLog, Workflow, WorkflowDraft, WorkflowVersion

FORMAT = "aftersales.workflow"
FORMAT_VERSION = 1
STATE_KEYS = ("code", "name", "public_name", "is_initial", "is_final", "sla_hours", "x", "y")
TRANSITION_KEYS = ("code", "name", "source", "target", "roles", "condition", "required_fields", "requires_comment",
                   "actions")
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
# Fields of a subject the engine keeps itself: a step cannot ask a person to fill them.
_ENGINE_FIELDS = {"id", "state", "version", "state_entered_at", "due_at"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (an error blocks publishing) or doubtful (a warning) in a definition."""

    level: str  # "error" | "warning"
    message: str
    state: str | None = None
    transition: tuple[str, str] | None = None


# Reading --------------------------------------------------------------------------------------------------------

def _subject_code(content_type) -> str:
    return f"{content_type.app_label}.{content_type.model}" if content_type else ""


def definition_from_rows(workflow, states, transitions, *, subject: str = "", version: int = 0) -> dict:
    """The definition of a workflow's rows; works on a migration's historical models too."""
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "code": workflow.code, "name": workflow.name,
        "subject": subject, "version": version,
        "states": [{"code": s.code, "name": s.name, "public_name": s.public_name, "is_initial": s.is_initial,
                    "is_final": s.is_final, "sla_hours": s.sla_hours, "x": s.x, "y": s.y} for s in states],
        "transitions": [{"code": t.code, "name": t.name, "source": t.source.code, "target": t.target.code,
                         "roles": list(t.roles or []), "condition": t.condition or "",
                         "required_fields": list(t.required_fields or []), "requires_comment": t.requires_comment,
                         "actions": copy.deepcopy(list(t.actions or []))} for t in transitions],
    }


def definition_of(workflow, version: int | None = None) -> dict:
    """The published definition of ``workflow`` (or the one version ``version`` kept).

    Raises WorkflowVersion.DoesNotExist for a version never published.
    """
    if version is not None:
        return copy.deepcopy(WorkflowVersion.objects.get(workflow=workflow, number=version).definition)
    states = workflow.states.filter(is_active=True).order_by("order", "pk")
    transitions = (workflow.transitions.filter(source__is_active=True).select_related("source", "target")
                   .order_by("order", "pk"))
    subject = ContentType.objects.get_for_id(workflow.subject_id) if workflow.subject_id else None
    return definition_from_rows(workflow, states, transitions, subject=_subject_code(subject),
                                version=workflow.version)


def _subject_model(source):
    """The model a workflow, a definition's subject code or a model names (None if none or unknown)."""
    if source is None or source == "":
        return None
    if isinstance(source, Workflow):
        return ContentType.objects.get_for_id(source.subject_id).model_class() if source.subject_id else None
    if isinstance(source, str):
        try:
            return django_apps.get_model(source)
        except (LookupError, ValueError):
            return None
    return source


def subject_fields(workflow, *, dates_only: bool = False) -> list[tuple[str, str]]:
    """The fields of the workflow's subject a step may require (name, Persian label): its own fields
    and the lists of rows that point at it (parts, operations)."""
    model = _subject_model(workflow)
    if model is None:
        return []
    choices = []
    for field in model._meta.get_fields():
        if field.name in _ENGINE_FIELDS:
            continue
        if field.auto_created and not field.concrete:  # a reverse relation: "at least one row"
            if dates_only or not field.one_to_many or not field.related_name or field.related_name.endswith("+"):
                continue
            choices.append((field.get_accessor_name(), str(field.related_model._meta.verbose_name_plural)))
            continue
        if not getattr(field, "editable", False) or field.primary_key:
            continue
        if dates_only and not isinstance(field, models.DateField):  # DateTimeField is a DateField
            continue
        choices.append((field.name, str(field.verbose_name)))
    return choices


def role_choices() -> list[tuple[str, str]]:
    """The roles a step may be allowed to (code, Persian label)."""
    from aftersales.organization.roles import Role

    return [(role.value, str(role.label)) for role in Role]


def records_in_states(workflow) -> dict[str, int]:
    """How many records of the workflow's subject are in each of its states (state code → count)."""
    model = _subject_model(workflow)
    if model is None:
        return {}
    rows = (model.objects.filter(state__workflow=workflow).values("state__code").annotate(count=Count("pk"))
            .order_by())
    return {row["state__code"]: row["count"] for row in rows}


# Drafts ---------------------------------------------------------------------------------------------------------

def _shape_error(message) -> ValidationError:
    return ValidationError(message, code="shape")


def _number(value):
    """A number typed in a form ("۲۴", "24", 24) as a number; "" or None as None; anything else as is."""
    if isinstance(value, str):
        text = number_text(value).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def normalize(definition) -> dict:
    """The definition with every key present and typed values; refuses (code "shape") what is not one."""
    if isinstance(definition, str | bytes):
        try:
            definition = json.loads(definition)
        except ValueError as error:
            raise _shape_error(_("This is not a workflow definition (not JSON).")) from error
    if not isinstance(definition, dict) or not isinstance(definition.get("states"), list) \
            or not isinstance(definition.get("transitions"), list):
        raise _shape_error(_("This is not a workflow definition: it needs a list of states and of transitions."))
    result = {"format": definition.get("format", FORMAT), "format_version": definition.get("format_version",
                                                                                           FORMAT_VERSION),
              "code": str(definition.get("code") or ""), "name": str(definition.get("name") or "").strip(),
              "subject": str(definition.get("subject") or ""), "version": definition.get("version") or 0,
              "states": [], "transitions": []}
    for item in definition["states"]:
        if not isinstance(item, dict):
            raise _shape_error(_("Each state must be an object with a code and a name."))
        state = {"code": str(item.get("code") or "").strip(), "name": str(item.get("name") or "").strip(),
                 "public_name": str(item.get("public_name") or "").strip(),
                 "is_initial": bool(item.get("is_initial")), "is_final": bool(item.get("is_final")),
                 "sla_hours": _number(item.get("sla_hours")), "x": _number(item.get("x")),
                 "y": _number(item.get("y"))}
        for key in ("x", "y"):
            if isinstance(state[key], float):
                state[key] = round(state[key])
            if not isinstance(state[key], int) or isinstance(state[key], bool):
                state[key] = None
        result["states"].append(state)
    for item in definition["transitions"]:
        if not isinstance(item, dict):
            raise _shape_error(_("Each transition must be an object with a code, a name, a source and a target."))
        roles, fields, actions = item.get("roles") or [], item.get("required_fields") or [], item.get("actions") or []
        if not isinstance(roles, list) or not isinstance(fields, list) or not isinstance(actions, list):
            raise _shape_error(_("A transition's roles, required fields and actions must be lists."))
        result["transitions"].append({
            "code": str(item.get("code") or "").strip(), "name": str(item.get("name") or "").strip(),
            "source": str(item.get("source") or ""), "target": str(item.get("target") or ""),
            "roles": [str(role) for role in roles], "condition": str(item.get("condition") or ""),
            "required_fields": [str(name) for name in fields],
            "requires_comment": bool(item.get("requires_comment")),
            "actions": [_normalize_action(action) for action in actions],
        })
    return result


def _normalize_action(action):
    if not isinstance(action, dict):
        return action
    action = dict(action)
    for param in engine.action_params(action.get("type")):
        if param.name in action and param.kind in ("hours", "number"):
            action[param.name] = _number(action[param.name])
        elif param.name in action and action[param.name] == "":
            action[param.name] = None
    return action


def draft_get(*, workflow, user) -> WorkflowDraft:
    """The user's draft of ``workflow``, started from the published definition if there is none."""
    draft = WorkflowDraft.objects.filter(workflow=workflow, user=user).first()
    if draft is None:
        draft, _created = WorkflowDraft.objects.get_or_create(
            workflow=workflow, user=user,
            defaults={"definition": definition_of(workflow), "base_version": workflow.version})
    return draft


@transaction.atomic
def draft_save(*, draft, definition: dict) -> WorkflowDraft:
    """Keep the user's edits (only the shape is checked: problems are shown, not refused, until publish)."""
    draft.definition = normalize(definition)
    draft.save()
    return draft


def draft_discard(*, workflow, user) -> None:
    WorkflowDraft.objects.filter(workflow=workflow, user=user).delete()


# Checks ---------------------------------------------------------------------------------------------------------

def _roles_held() -> set[str]:
    return set(Group.objects.filter(user__is_active=True).values_list("name", flat=True).distinct())


def _param_problem(param, value, workflow, subject_model, label) -> str | None:
    empty = value is None or value == "" or value == []
    if empty:
        return (_("«%(action)s» needs «%(param)s».") % {"action": label, "param": param.label}) if param.required \
            else None
    wrong = _("«%(param)s» of «%(action)s» is not valid.") % {"param": param.label, "action": label}
    if param.kind in ("hours", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("«%(param)s» of «%(action)s» must be a number.") % {"param": param.label, "action": label}
        if param.kind == "hours" and value <= 0:
            return _("«%(param)s» of «%(action)s» must be a positive number of hours.") % {
                "param": param.label, "action": label}
        return None
    if param.kind in ("field", "date_field"):
        if subject_model is None:
            return None
        names = {name for name, _label in subject_fields(subject_model, dates_only=param.kind == "date_field")}
        return None if value in names else wrong
    choices = engine.param_choices(param, workflow)
    if param.kind in ("event", "user") and not choices and param.choices is None:
        return None  # no app supplies them here: nothing to check against
    return None if str(value) in {choice for choice, _label in choices} else wrong


def definition_problems(definition: dict, *, workflow=None) -> list[Problem]:
    """Everything wrong (errors) or doubtful (warnings) in a definition, in Persian, each naming the state
    or transition it concerns so that the chart can mark it."""
    try:
        definition = normalize(definition)
    except ValidationError as error:
        return [Problem("error", error.messages[0])]
    problems: list[Problem] = []

    def error(message, state=None, transition=None):
        problems.append(Problem("error", message, state, transition))

    def warning(message, state=None, transition=None):
        problems.append(Problem("warning", message, state, transition))

    if not definition["name"]:
        error(_("The workflow needs a name."))
    subject_model = _subject_model(definition["subject"])
    if definition["subject"] and subject_model is None:
        error(_("This site has no «%(subject)s» for the workflow to move.") % {"subject": definition["subject"]})
    if subject_model is None and workflow is not None:
        subject_model = _subject_model(workflow)

    states, seen = {}, set()
    for state in definition["states"]:
        code, name = state["code"], state["name"] or state["code"]
        if not code or not _CODE.match(code):
            error(_("The state «%(name)s» needs a code of Latin letters, digits, - and _.") % {"name": name},
                  state=code or None)
        elif code in seen:
            error(_("Two states have the code «%(code)s».") % {"code": code}, state=code)
        seen.add(code)
        states.setdefault(code, state)
        if not state["name"]:
            error(_("The state «%(code)s» needs a name.") % {"code": code}, state=code)
        hours = state["sla_hours"]
        if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0):
            error(_("The due time of «%(name)s» must be a whole number of hours above zero, or empty.")
                  % {"name": name}, state=code)
    initial = [state for state in definition["states"] if state["is_initial"]]
    if not definition["states"]:
        error(_("The workflow has no states."))
    elif not initial:
        error(_("No state is marked as the initial one: new records would have nowhere to start."))
    for extra in initial[1:]:
        error(_("Only one state may be the initial one; «%(name)s» is another.") % {"name": extra["name"]},
              state=extra["code"])

    conditions, roles = engine.conditions(), {code for code, _label in role_choices()}
    held = None
    fields = {name: label for name, label in subject_fields(subject_model)} if subject_model else None
    keys, outgoing, incoming = set(), {}, {}
    for item in definition["transitions"]:
        key = (item["source"], item["code"])
        name = item["name"] or item["code"]
        if not item["code"] or not _CODE.match(item["code"]):
            error(_("The step «%(name)s» needs a code of Latin letters, digits, - and _.") % {"name": name},
                  transition=key)
        elif key in keys:
            error(_("Two steps from «%(state)s» have the code «%(code)s».")
                  % {"state": states.get(item["source"], {}).get("name", item["source"]), "code": item["code"]},
                  state=item["source"], transition=key)
        keys.add(key)
        if not item["name"]:
            error(_("The step «%(code)s» needs a name.") % {"code": item["code"]}, transition=key)
        for end in ("source", "target"):
            if item[end] not in states:
                error(_("The step «%(name)s» leads from or to a state that does not exist (%(code)s).")
                      % {"name": name, "code": item[end] or "—"}, transition=key)
        if item["source"] in states and item["target"] in states and item["source"] != item["target"]:
            outgoing.setdefault(item["source"], []).append(item["target"])
            incoming.setdefault(item["target"], []).append(item["source"])
        if item["condition"] and item["condition"] not in conditions:
            error(_("The step «%(name)s» has an unknown condition «%(condition)s».")
                  % {"name": name, "condition": item["condition"]}, transition=key)
        for role in item["roles"]:
            if role not in roles:
                error(_("The step «%(name)s» names an unknown role «%(role)s».") % {"name": name, "role": role},
                      transition=key)
                continue
            if held is None:
                held = _roles_held()
            if role not in held:
                from aftersales.organization.roles import role_label

                warning(_("No active user holds the role «%(role)s» that the step «%(name)s» is allowed to.")
                        % {"role": role_label(role), "name": name}, transition=key)
        for field in item["required_fields"]:
            if fields is not None and field not in fields:
                error(_("The step «%(name)s» requires «%(field)s», which is not a field of the record.")
                      % {"name": name, "field": field}, transition=key)
        for action in item["actions"]:
            kind = action.get("type") if isinstance(action, dict) else None
            if kind not in engine.actions():
                error(_("The step «%(name)s» has an unknown action «%(action)s».")
                      % {"name": name, "action": kind or action}, transition=key)
                continue
            label = engine.actions()[kind][0]
            reported = False
            for param in engine.action_params(kind):
                message = _param_problem(param, action.get(param.name), workflow, subject_model, label)
                if message:
                    error(message, transition=key)
                    reported = True
            check = None if reported else engine.action_problem(action)
            if check:
                error(_("The step «%(name)s»: %(problem)s") % {"name": name, "problem": check}, transition=key)

    # Reachability: from the initial state when there is exactly one; otherwise any way in.
    if len(initial) == 1 and initial[0]["code"] in states:
        reached, queue = {initial[0]["code"]}, deque([initial[0]["code"]])
        while queue:
            for target in outgoing.get(queue.popleft(), []):
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
    else:
        reached = {code for code, state in states.items() if state["is_initial"] or incoming.get(code)}
    for code, state in states.items():
        if code not in reached and not state["is_initial"]:
            error(_("No step reaches the state «%(name)s».") % {"name": state["name"] or code}, state=code)
        if not state["is_final"] and not outgoing.get(code):
            error(_("The state «%(name)s» has no way out and is not final: records would stay there.")
                  % {"name": state["name"] or code}, state=code)
        if state["is_final"] and outgoing.get(code):
            warning(_("The state «%(name)s» is final but has ways out.") % {"name": state["name"] or code},
                    state=code)
    return problems


# Publishing -----------------------------------------------------------------------------------------------------

def _stale(workflow, base_version) -> ValidationError:
    latest = WorkflowVersion.objects.filter(workflow=workflow).select_related("published_by").first()
    by = latest.published_by if latest else None
    by_name = (by.get_full_name() or by.get_username()) if by else _("someone")
    at = format_datetime(latest.published_at) if latest else ""
    reason = latest.reason if latest else ""
    return ValidationError(
        _("%(by)s published version %(version)s of this workflow on %(at)s (%(reason)s) after you started "
          "editing version %(base)s. Load the latest version and make your changes again, or discard your draft.")
        % {"by": by_name, "version": workflow.version, "at": at, "reason": reason, "base": base_version},
        code="stale", params={"version": workflow.version, "by": by_name, "at": latest.published_at if latest else None,
                              "reason": reason})


def _refuse_problems(problems: list[Problem]) -> None:
    errors = [problem.message for problem in problems if problem.level == "error"]
    if errors:
        raise ValidationError(_("The workflow has problems to fix first: %(problems)s")
                              % {"problems": " ".join(errors)}, code="problems", params={"problems": errors})


def _apply(workflow, definition, acting_user) -> dict[str, State]:
    """Make the State and Transition rows say what the definition says; returns every state by code."""
    existing = {state.code: state for state in workflow.states.all()}
    codes = [item["code"] for item in definition["states"]]
    # Clear the initial mark first: one initial state per workflow is a database constraint.
    workflow.states.filter(is_initial=True).exclude(code__in=[s["code"] for s in definition["states"]
                                                              if s["is_initial"]]).update(is_initial=False)
    for order, item in enumerate(definition["states"]):
        state = existing.get(item["code"]) or State(workflow=workflow, code=item["code"])
        for key in STATE_KEYS[1:]:
            setattr(state, key, item[key])
        state.order, state.is_active = order, True
        state._history_user = acting_user
        state.save()
        existing[state.code] = state
    for code, state in existing.items():
        if code not in codes and (state.is_active or state.is_initial):
            state.is_active, state.is_initial = False, False
            state._history_user = acting_user
            state.save()
    wanted = {(item["source"], item["code"]): item for item in definition["transitions"]}
    current = {(t.source.code, t.code): t for t in workflow.transitions.select_related("source")}
    for key, transition in current.items():
        if key not in wanted:
            transition._history_user = acting_user
            transition.delete()
    for order, (key, item) in enumerate(wanted.items()):
        transition = current.get(key) or Transition(workflow=workflow, code=item["code"],
                                                    source=existing[item["source"]])
        transition.name, transition.target = item["name"], existing[item["target"]]
        transition.roles, transition.condition = item["roles"], item["condition"]
        transition.required_fields, transition.requires_comment = item["required_fields"], item["requires_comment"]
        transition.actions, transition.order = item["actions"], order
        transition._history_user = acting_user
        transition.save()
    return existing


def _move_records(workflow, model, source: State, target: State, *, acting_user, number: int, reason: str) -> int:
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    comment = _("Moved by version %(version)s of the workflow, which removed «%(state)s»: %(reason)s") % {
        "version": number, "state": source.name, "reason": reason}
    moved = 0
    for record in model.objects.select_for_update().filter(state=source).order_by("pk"):
        seconds_in_source = max(0, int((now - record.state_entered_at).total_seconds()))
        record.state = target
        record.version += 1
        record.state_entered_at = now
        record.due_at = now + datetime.timedelta(hours=target.sla_hours) if target.sla_hours else None
        record._history_user = acting_user
        record._change_reason = comment
        record.save()
        TransitionLog.objects.create(content_type=content_type, object_id=record.pk, transition=None, source=source,
                                     target=target, by=acting_user, at=now, comment=comment,
                                     data={"workflow_version": number}, seconds_in_source=seconds_in_source)
        engine.state_left.send(sender=model, record=record, source=source, seconds=seconds_in_source, at=now)
        moved += 1
    return moved


@transaction.atomic
def workflow_publish(*, workflow, definition, acting_user, reason: str, base_version: int,
                     moves: dict[str, str] | None = None) -> WorkflowVersion:
    """Publish ``definition`` as the workflow's next version; returns the version written.

    One transaction, the workflow row locked. Refuses (ValidationError) with code "stale" when someone
    published after ``base_version`` (params: version, by, at, reason), "reason" for an empty reason,
    "problems" for a definition with errors, "subject" for a definition of another kind of record and
    "moves" when a removed state still holds records and ``moves`` does not say where they go (params:
    states, code → count). Records of removed states are moved, each move kept in the record's history
    and its version bumped. Audited (the workflow's history: who and why); the publisher's draft ends.
    """
    locked = Workflow.objects.select_for_update().get(pk=workflow.pk)
    if base_version is not None and int(base_version) != locked.version:
        raise _stale(locked, base_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why this version is published."), code="reason")
    definition = normalize(definition)
    _refuse_problems(definition_problems(definition, workflow=locked))
    subject_model = _subject_model(locked)
    if definition["subject"]:
        named = _subject_model(definition["subject"])
        if subject_model is not None and named is not subject_model:
            raise ValidationError(_("This definition moves «%(subject)s»; this workflow moves «%(ours)s».")
                                  % {"subject": definition["subject"], "ours": locked.subject_label},
                                  code="subject")
        if subject_model is None:
            locked.subject = ContentType.objects.get_for_model(named)
            subject_model = named
    new_codes = {item["code"] for item in definition["states"]}
    counts = records_in_states(locked)
    removed = {state.code: state for state in locked.states.filter(is_active=True) if state.code not in new_codes}
    moves = {str(code): str(target) for code, target in (moves or {}).items() if code in removed}
    unplaced = {code: counts[code] for code in removed if counts.get(code) and moves.get(code) not in new_codes}
    if unplaced:
        names = "، ".join(f"{removed[code].name} ({count})" for code, count in unplaced.items())
        raise ValidationError(_("Records are still in states this version removes; say where to move them: %(states)s")
                              % {"states": names}, code="moves", params={"states": unplaced})
    number = locked.version + 1
    states = _apply(locked, definition, acting_user)
    applied = {}
    for code, target in moves.items():
        if counts.get(code):
            _move_records(locked, subject_model, states[code], states[target], acting_user=acting_user,
                          number=number, reason=reason)
            applied[code] = target
    locked.version = number
    locked.name = definition["name"] or locked.name
    locked._history_user = acting_user
    locked._change_reason = reason
    locked.save()
    published = WorkflowVersion.objects.create(workflow=locked, number=number, definition=definition_of(locked),
                                               published_by=acting_user, reason=reason, moves=applied)
    WorkflowDraft.objects.filter(workflow=locked, user=acting_user).delete()
    engine.definitions_changed()
    transaction.on_commit(engine.definitions_changed)
    workflow.version, workflow.name, workflow.subject_id = locked.version, locked.name, locked.subject_id
    return published


def workflow_record_version(*, workflow, acting_user, reason: str) -> WorkflowVersion:
    """Keep the workflow's rows as they stand as a new version (an expert's edit in the admin)."""
    with transaction.atomic():
        locked = Workflow.objects.select_for_update().get(pk=workflow.pk)
        locked.version += 1
        Workflow.objects.filter(pk=locked.pk).update(version=locked.version)
        version = WorkflowVersion.objects.create(workflow=locked, number=locked.version,
                                                 definition=definition_of(locked), published_by=acting_user,
                                                 reason=reason)
    workflow.version = locked.version
    engine.definitions_changed()
    return version


def workflow_restore(*, workflow, number: int, acting_user, reason, base_version, moves=None) -> WorkflowVersion:
    """Publish version ``number``'s definition again, as a new version (the same refusals as publishing)."""
    try:
        definition = definition_of(workflow, number)
    except WorkflowVersion.DoesNotExist as error:
        raise ValidationError(_("This workflow has no version %(number)s.") % {"number": number},
                              code="version") from error
    return workflow_publish(workflow=workflow, definition=definition, acting_user=acting_user, reason=reason,
                            base_version=base_version, moves=moves)


def _parse(data) -> dict:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("This file is not a workflow file: it is not text."), code="format") from error
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise ValidationError(_("This file is not a workflow file: it is not JSON."), code="format") from error
    if not isinstance(data, dict):
        raise ValidationError(_("This file is not a workflow file."), code="format")
    return data


@transaction.atomic
def workflow_import(*, data, acting_user, reason, moves=None, base_version: int | None = None) -> WorkflowVersion:
    """Publish an exported definition: over the workflow with its code, or as a new workflow.

    Refuses (code "format") a file of another product or not a workflow at all, (code "format_version")
    one written by a newer version of the product, (code "subject") one moving a kind of record this site
    does not have; then the same refusals as publishing. Nothing is saved unless all of it is.
    """
    data = _parse(data)
    if data.get("format") != FORMAT:
        raise ValidationError(_("This file is not a workflow exported from this product."), code="format")
    format_version = data.get("format_version")
    if isinstance(format_version, bool) or not isinstance(format_version, int):
        raise ValidationError(_("This workflow file does not say which version of the format it is in."),
                              code="format_version")
    if format_version > FORMAT_VERSION:
        raise ValidationError(_("This workflow file was written by a newer version of the product (format %(file)s; "
                                "this site reads up to %(ours)s). Update this site first.")
                              % {"file": format_version, "ours": FORMAT_VERSION}, code="format_version")
    subject = data.get("subject") or ""
    model = _subject_model(subject) if subject else None
    if subject and (model is None or model not in engine.subject_models()):
        raise ValidationError(_("This workflow moves «%(subject)s», which this site does not have.")
                              % {"subject": subject}, code="subject")
    definition = normalize(data)
    code = definition["code"]
    if not code or not _CODE.match(code) or len(code) > Workflow._meta.get_field("code").max_length:
        raise ValidationError(_("The workflow in this file has no valid code."), code="format")
    workflow = Workflow.objects.filter(code=code).first()
    if workflow is None:
        if not definition["name"]:
            raise ValidationError(_("The workflow in this file has no name."), code="format")
        workflow = Workflow(code=code, name=definition["name"],
                            subject=ContentType.objects.get_for_model(model) if model else None)
        workflow._history_user = acting_user
        workflow.save()
        base_version = 0
    elif base_version is None:
        base_version = workflow.version
    return workflow_publish(workflow=workflow, definition=definition, acting_user=acting_user, reason=reason,
                            base_version=base_version, moves=moves)


def workflow_export(workflow) -> tuple[str, bytes]:
    """The export file of the published workflow: (file name, UTF-8 JSON)."""
    body = json.dumps(definition_of(workflow), ensure_ascii=False, indent=2).encode("utf-8")
    return f"workflow-{workflow.code}-v{workflow.version}.json", body
