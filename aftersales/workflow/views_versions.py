"""Pages around the designer (issue 14): publish a draft, the versions and their restore, the walk-through
("try it") and the workflow file's export and import.

Every page needs ``workflow.change_workflow``; every write goes through ``definition``'s services, so a
refusal (someone published first, a problem, records left in a removed state, no reason) leaves nothing
half-saved and is told on the page in Persian.
"""

import json
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.forms import StyledFormMixin
from aftersales.core.persian import localize_digits, to_ascii_digits
from aftersales.organization.scoping import scope_queryset, spans_all_centers

from . import engine
from .chart import definition_svg
from .definition import (
    FORMAT, FORMAT_VERSION, definition_of, definition_problems, draft_discard, draft_get, draft_save, normalize,
    records_in_states, role_choices, subject_fields, workflow_export, workflow_import, workflow_publish,
    workflow_restore,
)
from .models import State, Workflow, WorkflowVersion

PERMISSION = "workflow.change_workflow"
IMPORT_MAX_BYTES = 1024 * 1024
WALK_RECENT = 5


def _workflow(code) -> Workflow:
    return get_object_or_404(Workflow, code=code)


def _definition_or_none(workflow, version=None) -> dict | None:
    """A published definition, or None where there is none (a workflow never published in the designer)."""
    if workflow is None:
        return None
    try:
        return definition_of(workflow, version)
    except (WorkflowVersion.DoesNotExist, ValueError, LookupError, ValidationError):
        return None


# What changed between two definitions, in plain words -------------------------------------------------------

@dataclass(frozen=True)
class Change:
    kind: str  # "added" | "removed" | "changed"
    text: str


def _states(definition) -> dict[str, dict]:
    states = definition.get("states") if isinstance(definition, dict) else None
    return {s["code"]: s for s in states or [] if isinstance(s, dict) and isinstance(s.get("code"), str)}


def _transitions(definition) -> dict[tuple[str, str], dict]:
    transitions = definition.get("transitions") if isinstance(definition, dict) else None
    return {(t.get("source"), t["code"]): t for t in transitions or []
            if isinstance(t, dict) and isinstance(t.get("code"), str)}


def _hours(value) -> str:
    return localize_digits(value) if value not in (None, "") else _("none")


class _Words:
    """Persian labels of roles, conditions, fields and actions, looked up once per page."""

    def __init__(self, workflow=None):
        self.workflow = workflow
        self.roles = {code: str(label) for code, label in role_choices()}
        self.conditions = {code: str(label) for code, (label, _check) in engine.conditions().items()}
        self.actions = {code: str(label) for code, (label, _run) in engine.actions().items()}
        try:
            self.fields = {name: str(label) for name, label in subject_fields(workflow)} if workflow else {}
        except Exception:  # a workflow without a subject has no fields to name
            self.fields = {}

    def role_list(self, codes) -> str:
        return "، ".join(self.roles.get(code, code) for code in codes or []) or _("anyone with access")

    def condition(self, code) -> str:
        return self.conditions.get(code, code) if code else _("none")

    def field_list(self, names) -> str:
        return "، ".join(self.fields.get(name, name) for name in names or []) or _("none")

    def action(self, params) -> str:
        if not isinstance(params, dict):
            return str(params)
        kind = params.get("type")
        label = self.actions.get(kind, str(kind))
        details = []
        try:
            declared = {param.name: param for param in engine.action_params(kind)}
        except Exception:
            declared = {}
        for name, value in params.items():
            if name == "type":
                continue
            param = declared.get(name)
            shown = value
            if param is not None:
                try:
                    shown = dict(engine.param_choices(param, self.workflow)).get(value, value)
                except Exception:
                    shown = value
            if shown is None:
                shown = _("none")
            details.append(f"{param.label if param is not None else name}: {localize_digits(shown)}")
        return f"{label} ({'، '.join(details)})" if details else label

    def action_list(self, actions) -> str:
        return "؛ ".join(self.action(params) for params in actions or []) or _("none")


def definition_changes(old: dict | None, new: dict, *, workflow=None) -> list[Change]:
    """What ``new`` changes against ``old``: states added, removed, renamed or changed, steps added, removed or
    changed (roles, condition, required fields, comment, actions), each as one Persian sentence."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    words = _Words(workflow)
    old_states, new_states = _states(old), _states(new)
    changes = []

    def state_name(code):
        return (new_states.get(code) or old_states.get(code) or {}).get("name") or code

    for code, state in new_states.items():
        before = old_states.get(code)
        name = state.get("name") or code
        if before is None:
            changes.append(Change("added", _("State «%(name)s» added.") % {"name": name}))
            continue
        if (before.get("name") or code) != name:
            changes.append(Change("changed", _("State «%(old)s» renamed «%(new)s».")
                                  % {"old": before.get("name") or code, "new": name}))
        if (before.get("public_name") or "") != (state.get("public_name") or ""):
            changes.append(Change("changed", _("«%(name)s»: the customer now reads «%(text)s».")
                                  % {"name": name, "text": state.get("public_name") or name}))
        if bool(before.get("is_initial")) != bool(state.get("is_initial")):
            changes.append(Change("changed", (_("«%(name)s» is now the initial state.") if state.get("is_initial")
                                              else _("«%(name)s» is no longer the initial state.")) % {"name": name}))
        if bool(before.get("is_final")) != bool(state.get("is_final")):
            changes.append(Change("changed", (_("«%(name)s» is now a final state.") if state.get("is_final")
                                              else _("«%(name)s» is no longer a final state.")) % {"name": name}))
        if before.get("sla_hours") != state.get("sla_hours"):
            changes.append(Change("changed", _("«%(name)s»: due within %(new)s hours (was %(old)s).")
                                  % {"name": name, "new": _hours(state.get("sla_hours")),
                                     "old": _hours(before.get("sla_hours"))}))
    for code, state in old_states.items():
        if code not in new_states:
            changes.append(Change("removed", _("State «%(name)s» removed.") % {"name": state.get("name") or code}))

    old_steps, new_steps = _transitions(old), _transitions(new)
    for key, step in new_steps.items():
        before = old_steps.get(key)
        name = step.get("name") or key[1]
        where = {"name": name, "source": state_name(step.get("source")), "target": state_name(step.get("target"))}
        if before is None:
            changes.append(Change("added", _("Step «%(name)s» added: «%(source)s» → «%(target)s».") % where))
            continue
        if (before.get("name") or key[1]) != name:
            changes.append(Change("changed", _("Step «%(old)s» renamed «%(new)s».")
                                  % {"old": before.get("name") or key[1], "new": name}))
        if before.get("target") != step.get("target"):
            changes.append(Change("changed", _("Step «%(name)s» now leads to «%(target)s» (was «%(old)s»).")
                                  % {**where, "old": state_name(before.get("target"))}))
        if sorted(before.get("roles") or []) != sorted(step.get("roles") or []):
            changes.append(Change("changed", _("Step «%(name)s»: who may take it: %(new)s (was %(old)s).")
                                  % {"name": name, "new": words.role_list(step.get("roles")),
                                     "old": words.role_list(before.get("roles"))}))
        if (before.get("condition") or "") != (step.get("condition") or ""):
            changes.append(Change("changed", _("Step «%(name)s»: condition: %(new)s (was %(old)s).")
                                  % {"name": name, "new": words.condition(step.get("condition")),
                                     "old": words.condition(before.get("condition"))}))
        if sorted(before.get("required_fields") or []) != sorted(step.get("required_fields") or []):
            changes.append(Change("changed", _("Step «%(name)s»: fields required before: %(new)s (was %(old)s).")
                                  % {"name": name, "new": words.field_list(step.get("required_fields")),
                                     "old": words.field_list(before.get("required_fields"))}))
        if bool(before.get("requires_comment")) != bool(step.get("requires_comment")):
            changes.append(Change("changed", (_("Step «%(name)s» now needs a comment.") if step.get("requires_comment")
                                              else _("Step «%(name)s» no longer needs a comment.")) % {"name": name}))
        if (before.get("actions") or []) != (step.get("actions") or []):
            changes.append(Change("changed", _("Step «%(name)s»: what happens after: %(new)s (was %(old)s).")
                                  % {"name": name, "new": words.action_list(step.get("actions")),
                                     "old": words.action_list(before.get("actions"))}))
    for key, step in old_steps.items():
        if key not in new_steps:
            changes.append(Change("removed", _("Step «%(name)s» removed (from «%(source)s»).")
                                  % {"name": step.get("name") or key[1], "source": state_name(key[0])}))
    return changes


# Forms ---------------------------------------------------------------------------------------------------------

class MovesMixin:
    """A required "move them to" picker per removed state that still holds records."""

    def add_moves(self, stranded, targets):
        self.stranded = stranded
        for code, name, count in stranded:
            self.fields[f"move_{code}"] = forms.ChoiceField(
                label=_("Move the %(count)s records in «%(name)s» to") % {"count": localize_digits(count), "name": name},
                choices=[("", "—")] + list(targets))
        for name in [name for name in self.fields if name.startswith("move_")]:
            self.fields[name].widget.attrs["class"] = "form-select"

    def moves(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"move_{code}"] for code, _name, _count in self.stranded}


class ReasonForm(MovesMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why (kept with the version and shown in its history)"),
                             max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, stranded=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_moves(stranded, targets)
        self.order_fields([name for name in self.fields if name.startswith("move_")] + ["reason"])

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Write why."))
        return reason


class ImportFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Workflow file (JSON, exported from this product)"))


class ImportPublishForm(ReasonForm):
    definition = forms.CharField(widget=forms.HiddenInput)


def _stranded(workflow, definition) -> list[tuple[str, str, int]]:
    """(code, name, records) of each state of ``workflow`` that holds records and ``definition`` drops."""
    if workflow is None:
        return []
    kept = set(_states(definition))
    counts = records_in_states(workflow)
    names = dict(State.objects.filter(workflow=workflow).values_list("code", "name"))
    return [(code, names.get(code, code), count) for code, count in counts.items() if count and code not in kept]


def _targets(definition) -> list[tuple[str, str]]:
    return [(code, state.get("name") or code) for code, state in _states(definition).items()]


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# Publish -------------------------------------------------------------------------------------------------------

def _latest_version(workflow) -> WorkflowVersion | None:
    return (WorkflowVersion.objects.filter(workflow=workflow).select_related("published_by")
            .order_by("-number").first())


def _stale_context(workflow, draft) -> dict:
    """Who published after the draft's base, when and why, and what they changed."""
    latest = _latest_version(workflow)
    base = _definition_or_none(workflow, draft.base_version) if draft.base_version else None
    return {
        "stale": True, "latest": latest,
        "their_changes": definition_changes(base, _definition_or_none(workflow), workflow=workflow),
    }


def _publish_context(request, workflow, draft, form=None) -> dict:
    definition = draft.definition
    published = _definition_or_none(workflow)
    stranded = _stranded(workflow, definition)
    form = form or ReasonForm(stranded=stranded, targets=_targets(definition))
    problems = definition_problems(definition, workflow=workflow)
    context = {
        "workflow": workflow, "draft": draft, "form": form,
        "errors": [p for p in problems if p.level == "error"],
        "warnings": [p for p in problems if p.level != "error"],
        "changes": definition_changes(published, definition, workflow=workflow),
        "stranded": stranded, "stale": False,
    }
    if draft.base_version != workflow.version:
        context.update(_stale_context(workflow, draft))
    return context


@login_required
@permission_required(PERMISSION, raise_exception=True)
def publish(request, code):
    """The draft's problems and changes, the moves out of removed states and a reason; POST publishes."""
    workflow = _workflow(code)
    draft = draft_get(workflow=workflow, user=request.user)
    if request.method != "POST":
        return render(request, "workflow/publish.html", _publish_context(request, workflow, draft))
    action = request.POST.get("action", "publish")
    if action == "discard":
        draft_discard(workflow=workflow, user=request.user)
        messages.success(request, _("Your draft was discarded; the designer shows the latest published version."))
        return redirect("workflow:designer", code=workflow.code)
    if action == "rebase":
        _rebase(draft, workflow)
        messages.info(request, _("Your draft now builds on version %(version)s; check what would change and publish "
                                 "again.") % {"version": localize_digits(workflow.version)})
        return redirect("workflow:publish", code=workflow.code)
    stranded = _stranded(workflow, draft.definition)
    form = ReasonForm(request.POST, stranded=stranded, targets=_targets(draft.definition))
    if form.is_valid():
        try:
            version = workflow_publish(workflow=workflow, definition=draft.definition, acting_user=request.user,
                                       reason=form.cleaned_data["reason"], base_version=draft.base_version,
                                       moves=form.moves())
        except ValidationError as error:
            form.add_error(None, _refusal(error))
            workflow.refresh_from_db()
            draft = draft_get(workflow=workflow, user=request.user)
        else:
            messages.success(request, _("Version %(version)s published.") % {"version": localize_digits(version.number)})
            return redirect("workflow:version", code=workflow.code, number=version.number)
    return render(request, "workflow/publish.html", _publish_context(request, workflow, draft, form), status=400)


def _rebase(draft, workflow) -> None:
    """Keep the draft's edits, now on the latest published version (the publish page then shows the new diff)."""
    draft.base_version = workflow.version
    draft_save(draft=draft, definition=draft.definition)


# Versions ------------------------------------------------------------------------------------------------------

def _moves_shown(version, names: dict[str, str]) -> list[tuple[str, str, object]]:
    rows = []
    for code, move in (version.moves or {}).items():
        target, count = (move.get("to") or move.get("target"), move.get("count")) if isinstance(move, dict) else (move, None)
        rows.append((names.get(code, code), names.get(target, target), count))
    return rows


@login_required
@permission_required(PERMISSION, raise_exception=True)
def versions(request, code):
    workflow = _workflow(code)
    rows = list(WorkflowVersion.objects.filter(workflow=workflow).select_related("published_by").order_by("-number"))
    names = dict(State.objects.filter(workflow=workflow).values_list("code", "name"))
    return render(request, "workflow/versions.html", {
        "workflow": workflow, "versions": [(version, _moves_shown(version, names)) for version in rows]})


def _restore_form(workflow, definition, data=None) -> ReasonForm:
    form = ReasonForm(data, stranded=_stranded(workflow, definition), targets=_targets(definition),
                      initial={"base_version": workflow.version})
    return form


@login_required
@permission_required(PERMISSION, raise_exception=True)
def version(request, code, number):
    """One version: its chart, who published it, when and why, what it changed; a form restores it."""
    workflow = _workflow(code)
    row = get_object_or_404(WorkflowVersion.objects.select_related("published_by"), workflow=workflow, number=number)
    definition = row.definition
    form = _restore_form(workflow, definition, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            base = form.cleaned_data["base_version"]
            try:
                restored = workflow_restore(workflow=workflow, number=row.number, acting_user=request.user,
                                            reason=form.cleaned_data["reason"],
                                            base_version=workflow.version if base is None else base,
                                            moves=form.moves())
            except ValidationError as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(request, _("Version %(old)s restored as version %(new)s.")
                                 % {"old": localize_digits(row.number), "new": localize_digits(restored.number)})
                return redirect("workflow:version", code=workflow.code, number=restored.number)
        status = 400
    previous = (WorkflowVersion.objects.filter(workflow=workflow, number__lt=row.number).order_by("-number")
                .values_list("definition", flat=True).first())
    names = dict(State.objects.filter(workflow=workflow).values_list("code", "name"))
    return render(request, "workflow/version.html", {
        "workflow": workflow, "version": row, "chart": mark_safe(definition_svg(definition)),
        "changes": definition_changes(previous, definition, workflow=workflow) if previous else [],
        "moves": _moves_shown(row, names), "form": form, "is_current": row.number == workflow.version,
        "restore_changes": definition_changes(_definition_or_none(workflow), definition, workflow=workflow),
    }, status=status)


# Walk-through --------------------------------------------------------------------------------------------------

def _subject_records(workflow, user):
    """The records of the workflow's subject this user may see (their centers' only)."""
    model = workflow.subject.model_class() if workflow.subject_id else None
    if model is None:
        return None
    queryset = model._default_manager.filter(state__workflow=workflow)
    if getattr(model, "scope_center_field", None) is None:
        return queryset if spans_all_centers(user) else queryset.none()
    return scope_queryset(queryset, user)


def _find_record(records, model, record_id, typed):
    if record_id and record_id.isdigit():
        found = records.filter(pk=int(record_id)).first()
        if found is not None:
            return found
    typed = to_ascii_digits((typed or "").strip())
    if not typed:
        return None
    if any(field.name == "number" for field in model._meta.get_fields()):
        found = records.filter(number=typed).first()
        if found is not None:
            return found
    return records.filter(pk=int(typed)).first() if typed.isdigit() and len(typed) < 18 else None


@login_required
@permission_required(PERMISSION, raise_exception=True)
def walk(request, code):
    """Try it: for a role and a sample record, each step out of its state, open or closed and why (reads only)."""
    workflow = _workflow(code)
    definition = _definition_or_none(workflow) or {"states": [], "transitions": []}
    roles = [(code_, str(label)) for code_, label in role_choices()]
    role = request.GET.get("role") or ""
    if role not in dict(roles):
        role = ""
    records = _subject_records(workflow, request.user)
    record, checks, not_found = None, [], False
    if records is not None and (request.GET.get("record") or request.GET.get("q")):
        record = _find_record(records, records.model, request.GET.get("record", ""), request.GET.get("q", ""))
        not_found = record is None
    if record is not None and role:
        checks = engine.transition_explain(record, roles={role})
    open_codes = {check.transition.code for check in checks if check.open}
    chart = definition_svg(definition, current=record.state.code if record is not None else None,
                           open_codes=open_codes if record is not None and role else None)
    picks = []
    if records is not None:
        for state in workflow.states.filter(is_active=True).order_by("order", "pk"):
            recent = list(records.filter(state=state).select_related().order_by("-pk")[:WALK_RECENT])
            if recent:
                picks.append((state, recent))
    context = {
        "workflow": workflow, "roles": roles, "role": role, "role_label": dict(roles).get(role, ""),
        "record": record, "checks": checks, "not_found": not_found, "picks": picks, "has_subject": records is not None,
        "chart": mark_safe(chart), "query": request.GET.get("q", ""),
        "subject_label": records.model._meta.verbose_name if records is not None else "",
    }
    template = "workflow/partials/walk_result.html" if request.htmx else "workflow/walk.html"
    return render(request, template, context)


# Export and import ---------------------------------------------------------------------------------------------

@login_required
@permission_required(PERMISSION, raise_exception=True)
def export(request, code):
    """The published definition as a file to import on another site (the same file as the API's)."""
    name, body = workflow_export(_workflow(code))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _read_file(uploaded) -> dict:
    """The file's definition; ValidationError with a Persian message for a file that is not one (the same
    checks ``workflow_import`` makes again when it publishes)."""
    if uploaded.size > IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB; a workflow file is far smaller."))
    raw = uploaded.read()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(_("This file is not a workflow file: it is not text.")) from None
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        raise ValidationError(_("This file is not a workflow file: it is not JSON.")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("This file is not a workflow exported from this product."))
    format_version = data.get("format_version")
    if isinstance(format_version, bool) or not isinstance(format_version, int):
        raise ValidationError(_("This workflow file does not say which version of the format it is in."))
    if format_version > FORMAT_VERSION:
        raise ValidationError(_("This workflow file was written by a newer version of the product (format %(file)s; "
                                "this site reads up to %(ours)s). Update this site first.")
                              % {"file": localize_digits(format_version), "ours": localize_digits(FORMAT_VERSION)})
    return normalize(data)  # a file of the right kind but the wrong shape: its message


def _chart_or_nothing(data, problems) -> str:
    """The chart of an uploaded file; a file too broken to draw shows its problems only."""
    try:
        return mark_safe(definition_svg(data, problems=[p for p in problems if p.level == "error"]))
    except Exception:
        return ""


def _import_context(data, form=None) -> dict:
    existing = Workflow.objects.filter(code=data.get("code")).first() if isinstance(data.get("code"), str) else None
    problems = definition_problems(data, workflow=existing)
    stranded = _stranded(existing, data)
    if form is None:
        form = ImportPublishForm(stranded=stranded, targets=_targets(data), initial={
            "definition": json.dumps(data, ensure_ascii=False),
            "base_version": existing.version if existing else None})
    return {
        "data": data, "existing": existing, "form": form, "stranded": stranded,
        "errors": [p for p in problems if p.level == "error"],
        "warnings": [p for p in problems if p.level != "error"],
        "changes": definition_changes(_definition_or_none(existing), data, workflow=existing) if existing else [],
        "chart": _chart_or_nothing(data, problems),
    }


@login_required
@permission_required(PERMISSION, raise_exception=True)
def import_file(request):
    """Upload a workflow file, see its problems and what it would change, then publish it with a reason."""
    if request.method == "POST" and "definition" in request.POST:
        try:
            data = json.loads(request.POST["definition"])
            if not isinstance(data, dict):
                raise ValueError
        except (ValueError, RecursionError):
            messages.error(request, _("The checked file was lost on the way; upload it again."))
            return redirect("workflow:import")
        context = _import_context(data)
        form = ImportPublishForm(request.POST, stranded=context["stranded"], targets=_targets(data))
        if form.is_valid():
            base = form.cleaned_data["base_version"]
            try:
                result = workflow_import(data=data, acting_user=request.user, reason=form.cleaned_data["reason"],
                                         moves=form.moves(), base_version=base)
            except ValidationError as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(request, _("«%(name)s» imported as version %(version)s.")
                                 % {"name": result.workflow.name, "version": localize_digits(result.number)})
                return redirect("workflow:version", code=result.workflow.code, number=result.number)
        context["form"] = form
        return render(request, "workflow/import.html", context, status=400)
    upload = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        try:
            data = _read_file(upload.cleaned_data["file"])
        except ValidationError as error:
            upload.add_error("file", _refusal(error))
        else:
            return render(request, "workflow/import.html", _import_context(data))
    return render(request, "workflow/import.html", {"upload": upload},
                  status=400 if request.method == "POST" else 200)
