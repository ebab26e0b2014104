"""Taking transitions: roles, conditions, required fields, actions, and one winner when two act at once.

Conditions and actions are registered by the apps that know their subjects (repairs registers
"under warranty", "estimate approved"…); a workflow names them by code.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.inserts import insert_row
from aftersales.core.limits import ProcessCache

from .models import Transition, TransitionLog

#: Sent (sender = the record's model) when a record leaves a state it had entered, with ``record``,
#: ``source`` (the State left), ``seconds`` spent in it and ``at`` (when it left), in the move's
#: transaction: repairs adds it up per center and Jalali month for the reports.
state_left = Signal()

_CONDITIONS: dict[str, tuple[object, Callable]] = {}
_USER_CONDITIONS: set[str] = set()
_ACTIONS: dict[str, tuple[object, Callable]] = {}
_ACTION_CHECKS: dict[str, Callable] = {}
_ACTION_PARAMS: dict[str, list] = {}
_PARAM_CHOICES: dict[str, Callable] = {}
_SUBJECTS: dict[str, tuple[object, object]] = {}


@dataclass(frozen=True)
class Param:
    """One parameter of an action, for the designer's form and the checks before publishing.

    Kinds: "hours" (a positive number; empty: none), "number", "date_field" (a date or date-time
    field of the subject), "field" (any field of the subject), "event" (a messaging event), "user"
    (a staff user), "choice" (``choices() -> [(value, label)]``).
    """

    name: str
    kind: str
    label: object = ""
    required: bool = True
    choices: Callable | None = None


def register_condition(code: str, label, check: Callable, *, with_user: bool = False) -> None:
    """``check(subject) -> bool``; with ``with_user``, ``check(subject, user)``: a condition on who
    takes the step ("someone other than the one who repaired it")."""
    _CONDITIONS[code] = (label, check)
    if with_user:
        _USER_CONDITIONS.add(code)
    else:
        _USER_CONDITIONS.discard(code)


def register_action(kind: str, label, run: Callable, check: Callable | None = None,
                    params: list[Param] | None = None) -> None:
    """``run(subject, transition, params, acting_user)``; runs inside the transition's transaction.
    ``check(params)`` returns what is wrong with an action's parameters (None if nothing), for the admin;
    ``params`` describe the action's parameters for the designer."""
    _ACTIONS[kind] = (label, run)
    if check is not None:
        _ACTION_CHECKS[kind] = check
    _ACTION_PARAMS[kind] = list(params or [])


def action_params(kind: str) -> list[Param]:
    """The parameters an action takes (empty for an unknown action)."""
    return list(_ACTION_PARAMS.get(kind, []))


def register_param_choices(kind: str, choices: Callable) -> None:
    """Where a parameter kind's choices come from, e.g. ``"event"``: messaging's events, supplied by a
    higher app, since workflow may not import messaging. ``choices() -> [(value, label)]``."""
    _PARAM_CHOICES[kind] = choices


def param_choices(param: Param, workflow=None) -> list[tuple[str, str]]:
    """The values a parameter may take, with Persian labels; empty for free numbers."""
    if param.choices is not None:
        return [(str(value), str(label)) for value, label in param.choices()]
    if param.kind in _PARAM_CHOICES:
        return [(str(value), str(label)) for value, label in _PARAM_CHOICES[param.kind]()]
    if param.kind in ("field", "date_field") and workflow is not None:
        from .definition import subject_fields

        return subject_fields(workflow, dates_only=param.kind == "date_field")
    if param.kind == "user":
        from django.contrib.auth import get_user_model

        # Every user is a member of staff here (customers do not log in); is_staff is the admin site's.
        users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        return [(str(user.pk), user.get_full_name() or user.get_username()) for user in users]
    return []


def register_subject(model, label=None) -> None:
    """A model whose records move along workflows (it has ``state``, ``version``, ``state_entered_at``
    and ``due_at``); repairs registers RepairOrder."""
    _SUBJECTS[model._meta.label_lower] = (model, label or model._meta.verbose_name)


def subject_models() -> list:
    return [model for model, _label in _SUBJECTS.values()]


def subject_label(model) -> str:
    entry = _SUBJECTS.get(model._meta.label_lower)
    return str(entry[1] if entry else model._meta.verbose_name)


def action_problem(params) -> str | None:
    """What is wrong with one action of a transition's list, or None."""
    if not isinstance(params, dict) or params.get("type") not in _ACTIONS:
        return _("Unknown action: %(action)s") % {"action": params}
    check = _ACTION_CHECKS.get(params["type"])
    return check(params) if check else None


def conditions() -> dict:
    return dict(_CONDITIONS)


def actions() -> dict:
    return dict(_ACTIONS)


def user_roles(user) -> set[str]:
    cached = getattr(user, "_workflow_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._workflow_roles = cached
    return cached


def _role_allows(transition: Transition, user) -> bool:
    return not transition.roles or user.is_superuser or bool(user_roles(user) & set(transition.roles))


def _condition_holds(transition: Transition, subject, user) -> bool:
    if not transition.condition:
        return True
    entry = _CONDITIONS.get(transition.condition)
    if entry is None:
        return False
    if transition.condition in _USER_CONDITIONS:
        return bool(entry[1](subject, user))
    return bool(entry[1](subject))


def _missing_fields(transition: Transition, subject) -> list[str]:
    missing = []
    for name in transition.required_fields or []:
        value = getattr(subject, name, None)
        if hasattr(value, "exists"):  # a related manager: at least one row
            value = value.exists()
        if value in (None, "", False, [], {}):
            field = next((f for f in type(subject)._meta.get_fields() if f.name == name), None)
            missing.append(str(getattr(field, "verbose_name", name)))
    return missing


@dataclass
class StepCheck:
    """Whether one step out of a record's state is open, and why not (or what it will ask for)."""

    transition: Transition
    open: bool
    reasons: list[str] = field(default_factory=list)


def transition_explain(subject, *, roles: set[str] | None = None, user=None) -> list[StepCheck]:
    """For every step out of the subject's state: open or not, and the Persian reasons.

    ``roles`` tries the steps as a holder of those roles (the walk-through); else ``user``'s roles.
    A needed comment is told but does not close a step.
    """
    from aftersales.organization.roles import role_label

    checks = []
    outgoing = (Transition.objects.filter(source=subject.state_id, source__is_active=True)
                .select_related("source", "target").order_by("order", "pk"))
    for transition in outgoing:
        reasons, is_open = [], True
        if roles is not None:
            allowed = not transition.roles or bool(set(roles) & set(transition.roles))
        else:
            allowed = user is not None and _role_allows(transition, user)
        if not allowed:
            is_open = False
            reasons.append(_("Only these roles may take it: %(roles)s.")
                           % {"roles": "، ".join(str(role_label(code)) for code in transition.roles)})
        if transition.condition:
            entry = _CONDITIONS.get(transition.condition)
            if entry is None:
                is_open = False
                reasons.append(_("Its condition «%(condition)s» is not known.") % {"condition": transition.condition})
            elif transition.condition in _USER_CONDITIONS and user is None:
                reasons.append(_("Open only if: %(condition)s.") % {"condition": entry[0]})
            elif not _condition_holds(transition, subject, user):
                is_open = False
                reasons.append(_("Its condition does not hold: %(condition)s.") % {"condition": entry[0]})
        missing = _missing_fields(transition, subject)
        if missing:
            is_open = False
            reasons.append(_("Fill these first: %(fields)s.") % {"fields": "، ".join(missing)})
        if transition.requires_comment:
            reasons.append(_("It asks for a comment."))
        checks.append(StepCheck(transition=transition, open=is_open, reasons=reasons))
    return checks


def transitions_available(subject, user) -> list[Transition]:
    """The transitions out of the subject's state this user may take now (required fields aside)."""
    outgoing = Transition.objects.filter(source=subject.state_id).select_related("target").order_by("order", "pk")
    return [t for t in outgoing if _role_allows(t, user) and _condition_holds(t, subject, user)]


@transaction.atomic
def transition_take(*, subject, code: str, acting_user, comment: str = "", version: int | None = None,
                    data: dict | None = None):
    """Move ``subject`` along the transition ``code``; returns the subject as saved.

    The subject's row is locked first, so of two people taking a step on one record at once exactly
    one wins; the other (and anyone holding a stale ``version``) gets a clear message. Refuses
    (ValidationError) a transition that does not leave the current state, a role not allowed, a
    condition that does not hold, missing required fields and a missing comment. Implements F13.
    """
    model = type(subject)
    # No join in the locking query: after waiting for a concurrent move, PostgreSQL re-checks the
    # join against the state row it read before, and the changed row would vanish from the result.
    locked = model.objects.select_for_update().get(pk=subject.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else moved this record a moment ago; it is now «%(state)s». Reload and try again.")
            % {"state": locked.state.name}, code="stale")
    # One code may leave several states: the step is the one leaving the record's state.
    transition = (Transition.objects.select_related("source", "target")
                  .filter(workflow=locked.state.workflow_id, source=locked.state_id, code=code).first()
                  or Transition.objects.select_related("source", "target")
                  .filter(workflow=locked.state.workflow_id, code=code).first())
    if transition is None:
        raise ValidationError(_("This workflow has no such step."), code="unknown")
    if transition.source_id != locked.state_id:
        raise ValidationError(_("«%(step)s» cannot be taken now: the record is «%(state)s».")
                              % {"step": transition.name, "state": locked.state.name}, code="state")
    if not _role_allows(transition, acting_user):
        raise ValidationError(_("Your role may not take «%(step)s».") % {"step": transition.name}, code="role")
    if not _condition_holds(transition, locked, acting_user):
        label = _CONDITIONS.get(transition.condition, ("?",))[0]
        raise ValidationError(_("«%(step)s» needs: %(condition)s.") % {"step": transition.name, "condition": label},
                              code="condition")
    missing = _missing_fields(transition, locked)
    if missing:
        raise ValidationError(_("Fill these first: %(fields)s.") % {"fields": "، ".join(missing)}, code="fields")
    comment = (comment or "").strip()
    if transition.requires_comment and not comment:
        raise ValidationError(_("«%(step)s» needs a comment.") % {"step": transition.name}, code="comment")
    now = timezone.now()
    source = locked.state
    seconds_in_source = max(0, int((now - locked.state_entered_at).total_seconds())) if locked.state_entered_at else None
    locked.state = transition.target
    locked.version += 1
    locked.state_entered_at = now
    locked.due_at = now + datetime.timedelta(hours=transition.target.sla_hours) if transition.target.sla_hours else None
    locked._history_user = acting_user
    locked.save()
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(model), object_id=locked.pk, transition=transition,
        source=source, target=transition.target, by=acting_user, at=now, comment=comment, data=data or {},
        seconds_in_source=seconds_in_source,
    )
    if seconds_in_source is not None:
        state_left.send(sender=model, record=locked, source=source, seconds=seconds_in_source, at=now)
    for params in transition.actions or []:
        _ACTIONS[params["type"]][1](locked, transition, params, acting_user)
    return locked


# Workflow definitions change rarely and are read on every new record.
_initial_states = ProcessCache(seconds=60)
definitions_changed = _initial_states.clear


def initial_state(code: str):
    """The initial state of the active workflow ``code`` (None if there is none)."""
    from .models import State

    return _initial_states.get(code, lambda: State.objects.select_related("workflow").filter(
        workflow__code=code, workflow__is_active=True, is_initial=True, is_active=True).first())


def subject_start(subject, state, *, acting_user=None) -> None:
    """Put a new subject in a workflow's initial ``state`` (before its first save)."""
    now = timezone.now()
    subject.state = state
    subject.version = 1
    subject.state_entered_at = now
    subject.due_at = now + datetime.timedelta(hours=state.sla_hours) if state.sla_hours else None


def subject_started(subject, *, acting_user=None) -> None:
    """Log the subject's entry into its initial state (once its pk is known: after its first save, or
    reserved before it as reception does). One prebuilt INSERT: it is on every reception's path."""
    insert_row(TransitionLog(content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk,
                             source=None, target=subject.state, by=acting_user, at=subject.state_entered_at))


def subject_note(subject, *, by, comment: str, data: dict | None = None) -> TransitionLog:
    """Keep an event in the subject's history that does not move it (a hand-over, a customer's answer)."""
    return TransitionLog.objects.create(content_type=ContentType.objects.get_for_model(type(subject)),
                                        object_id=subject.pk, source=subject.state, target=subject.state, by=by,
                                        comment=comment, data=data or {})


def subject_log(subject) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(type(subject)),
                                             object_id=subject.pk).select_related("source", "target", "by"))


def _announce(subject, transition, params, acting_user) -> None:
    """Action ``announce``: the subject's ``workflow_announce(event)`` tells messaging."""
    subject.workflow_announce(params["event"], acting_user=acting_user)


def _announce_problem(params) -> str | None:
    event = params.get("event")
    if not isinstance(event, str) or not event:
        return _("An announcement needs an event.")
    if "event" in _PARAM_CHOICES and event not in {str(value) for value, _label in _PARAM_CHOICES["event"]()}:
        return _("No such event: %(event)s") % {"event": event}
    return None


register_action("announce", _("announce an event (messages by the rules)"), _announce, _announce_problem,
                params=[Param("event", "event", gettext_lazy("event"))])


def _due(subject, transition, params, acting_user) -> None:
    """Action ``due``: ``{"hours": N}`` from now, ``{"field": "promised_on"}`` (the end of that day, or
    that moment for a date-time), or ``{"hours": null}`` for none; replaces the target state's SLA."""
    due = None
    if params.get("field"):
        value = getattr(subject, params["field"], None)
        if isinstance(value, datetime.datetime):
            due = value
        elif isinstance(value, datetime.date):  # the end of the working day it names
            due = timezone.make_aware(datetime.datetime.combine(value, datetime.time(23, 59)))
        else:
            due = subject.due_at  # the field is empty: the state's own due time stands
    elif params.get("hours"):
        due = timezone.now() + datetime.timedelta(hours=float(params["hours"]))
    subject.due_at = due
    subject.save(update_fields=["due_at"])


def _due_problem(params) -> str | None:
    hours, field = params.get("hours"), params.get("field")
    if field is not None and hours is not None:
        return _("A due time takes either hours or a field, not both.")
    if field is None and "hours" not in params:
        return _('A due time needs "hours" (a number, or null for none) or "field" (a date of the record).')
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0):
        return _('"hours" must be a positive number.')
    if field is not None and not (isinstance(field, str) and field.isidentifier()):
        return _('"field" must name a date field of the record.')
    return None


register_action("due", _('set a due time ({"hours": 24} from now, {"field": "promised_on"}, or {"hours": null})'),
                _due, _due_problem,
                params=[Param("hours", "hours", gettext_lazy("hours from now"), required=False),
                        Param("field", "date_field", gettext_lazy("or until this date of the record"), required=False)])
