"""The workflow designer (issue 14): the list of workflows and one page per workflow with its chart, a side
panel to edit a state or a transition, and the draft's problems.

Every edit is a POST that changes the user's draft (``definition.draft_get``/``draft_save``) and answers
with the designer's body again (chart, panel, problems) for htmx, or a redirect back without script.
Nothing is published here: the publish page (``views_versions``) does that. A state or transition the
draft no longer has (a panel left open in another tab) is told in Persian, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.persian import to_ascii_digits

from . import designer
from .chart import BOX_H, BOX_W, GAP_X, GAP_Y, MARGIN, PER_ROW, definition_svg, state_places
from .definition import (
    definition_of, definition_problems, draft_discard, draft_get, draft_save, records_in_states,
)
from .forms import StateForm, TransitionForm, action_forms, transition_initial
from .models import Workflow

PERMISSION = "workflow.change_workflow"
CHART_LIMIT = 5000  # the farthest a state may be dragged, in chart units


def _allowed(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _workflow(request, code) -> Workflow:
    _allowed(request)
    return get_object_or_404(Workflow, code=code)


def _maybe_url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@login_required
def workflow_list(request):
    _allowed(request)
    rows = []
    for workflow in Workflow.objects.select_related("subject").order_by("name"):
        in_flight = records_in_states(workflow)
        rows.append({
            "workflow": workflow,
            "subject": workflow.subject_label,
            "states": workflow.states.filter(is_active=True).count(),
            "in_flight": sum(in_flight.values()),
        })
    return render(request, "workflow/list.html", {"rows": rows, "import_url": _maybe_url("workflow:import")})


# --- the designer page -----------------------------------------------------------------------------------

def _selection(source) -> tuple[str | None, tuple[str, str] | None]:
    """The state code or (source, code) of a transition named by ``state=`` / ``transition=src:code``."""
    state = (source.get("state") or "").strip() or None
    transition = None
    raw = (source.get("transition") or "").strip()
    if ":" in raw:
        src, code = raw.split(":", 1)
        transition = (src, code)
    return state, transition


def _changed(draft_definition: dict, published: dict) -> bool:
    keys = ("states", "transitions")
    return any(draft_definition.get(key) != published.get(key) for key in keys)


def _action_count(action_rows) -> int:
    return max([int(form.prefix.rsplit("-", 1)[1]) + 1 for form in action_rows] or [0])


def _panel(workflow, definition, *, published_codes, state=None, transition=None, form=None, action_rows=None):
    """What the side panel shows: a state's form, a transition's form, or the help and the add buttons."""
    if state is not None:
        try:
            current = designer.state_get(definition, state)
        except designer.Gone:
            return {"kind": "gone"}
        if form is None:
            form = StateForm(initial={**current, "sla_hours": current.get("sla_hours")},
                             code_fixed=state in published_codes)
        outgoing = [t for t in definition.get("transitions", []) if t.get("source") == state]
        incoming = [t for t in definition.get("transitions", []) if t.get("target") == state]
        return {"kind": "state", "state": current, "form": form, "outgoing": outgoing, "incoming": incoming,
                "others": [s for s in definition.get("states", []) if s["code"] != state],
                "records": records_in_states(workflow).get(state, 0)}
    if transition is not None:
        try:
            current = designer.transition_get(definition, *transition)
        except designer.Gone:
            return {"kind": "gone"}
        if form is None:
            form = TransitionForm(initial=transition_initial(current), definition=definition, workflow=workflow,
                                  current=current)
        if action_rows is None:
            action_rows = action_forms(actions_list=current.get("actions"), workflow=workflow)
        names = {s["code"]: s.get("name") for s in definition.get("states", [])}
        return {"kind": "transition", "transition": current, "key": f"{transition[0]}:{transition[1]}",
                "form": form, "action_rows": action_rows, "action_count": _action_count(action_rows),
                "source_name": names.get(current.get("source")), "target_name": names.get(current.get("target"))}
    return {"kind": "none"}


def _context(request, workflow, draft, *, state=None, transition=None, form=None, action_rows=None, notice=""):
    definition = draft.definition
    published = definition_of(workflow)
    published_codes = {s["code"] for s in published.get("states", [])}
    problems = definition_problems(definition, workflow=workflow)
    panel = _panel(workflow, definition, published_codes=published_codes, state=state, transition=transition,
                   form=form, action_rows=action_rows)
    if panel["kind"] == "gone":
        notice = notice or _gone_notice()
        state = transition = None
        panel = {"kind": "none"}
    selected = state if state is not None else transition
    names = {s["code"]: s.get("name") or s["code"] for s in definition.get("states", [])}
    step_names = {(t.get("source"), t.get("code")): t.get("name") or t.get("code")
                  for t in definition.get("transitions", [])}
    problem_rows = []
    for problem in problems:
        about = ""
        if problem.transition:
            key = tuple(problem.transition)
            about = step_names.get(key, key[1])
        elif problem.state:
            about = names.get(problem.state, problem.state)
        problem_rows.append({
            "problem": problem, "about": about,
            "select": (urlencode({"transition": f"{problem.transition[0]}:{problem.transition[1]}"})
                       if problem.transition else urlencode({"state": problem.state}) if problem.state else ""),
        })
    return {
        "workflow": workflow, "draft": draft, "definition": definition, "panel": panel,
        "chart": definition_svg(definition, problems=problems, selected=selected, interactive=True),
        "problems": problem_rows,
        "errors": sum(1 for p in problems if p.level == "error"),
        "warnings": sum(1 for p in problems if p.level != "error"),
        "changed": _changed(definition, published),
        "notice": notice,
        "selected_state": state, "selected_transition": f"{transition[0]}:{transition[1]}" if transition else "",
        "publish_url": _maybe_url("workflow:publish", workflow.code),
        "versions_url": _maybe_url("workflow:versions", workflow.code),
        "walk_url": _maybe_url("workflow:walk", workflow.code),
        "export_url": _maybe_url("workflow:export", workflow.code),
        "state_count": len(definition.get("states", [])),
        "transition_count": len(definition.get("transitions", [])),
    }


def _render(request, workflow, draft, **options):
    context = _context(request, workflow, draft, **options)
    template = "workflow/partials/designer_body.html" if request.htmx else "workflow/designer.html"
    return render(request, template, context)


@login_required
def workflow_designer(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    state, transition = _selection(request.GET)
    return _render(request, workflow, draft, state=state, transition=transition)


def _after(request, workflow, draft, *, state=None, transition=None, notice="", **options):
    """The answer to an edit: the designer's body for htmx, else back to the page (the panel kept open)."""
    if request.htmx:
        return _render(request, workflow, draft, state=state, transition=transition, notice=notice, **options)
    if notice:
        messages.warning(request, notice)
    if options.get("form") is not None:  # errors to show: render the whole page
        return render(request, "workflow/designer.html",
                      _context(request, workflow, draft, state=state, transition=transition, **options))
    query = {}
    if state:
        query["state"] = state
    elif transition:
        query["transition"] = f"{transition[0]}:{transition[1]}"
    url = reverse("workflow:designer", args=[workflow.code])
    return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)


def _save(draft, definition):
    return draft_save(draft=draft, definition=definition)


def _gone_notice():
    return _("That step or state is no longer in your draft (it was removed or renamed). "
             "The chart shows your draft as it is now.")


def _int(value, default=None):
    try:
        return int(float(to_ascii_digits(str(value)).strip()))
    except (TypeError, ValueError, OverflowError):
        return default


def _free_place(definition) -> tuple[int, int]:
    """A grid place no state's box covers, for a new state."""
    taken = list(state_places(definition).values())
    for index in range(400):
        row, column = divmod(index, PER_ROW)
        width = PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X
        x, y = MARGIN + width - BOX_W - column * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y)
        if all(abs(x - tx) >= BOX_W or abs(y - ty) >= BOX_H + 20 for tx, ty in taken):
            return int(x), int(y)
    return MARGIN, int(max((ty for _tx, ty in taken), default=0) + BOX_H + GAP_Y)


@login_required
@require_POST
def state_add(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    name = " ".join((request.POST.get("name") or "").split())[:80] or _("New state")
    x, y = _int(request.POST.get("x")), _int(request.POST.get("y"))
    if x is None or y is None:
        x, y = _free_place(draft.definition)
    x, y = min(max(0, x), CHART_LIMIT), min(max(0, y), CHART_LIMIT)
    definition, new_code = designer.state_add(draft.definition, name=name, x=x, y=y)
    draft = _save(draft, definition)
    return _after(request, workflow, draft, state=new_code)


@login_required
@require_POST
def state_save(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    state = request.POST.get("state", "")
    published_codes = {s["code"] for s in definition_of(workflow).get("states", [])}
    form = StateForm(request.POST, initial={"code": state}, code_fixed=state in published_codes)
    try:
        designer.state_get(draft.definition, state)
    except designer.Gone:
        return _after(request, workflow, draft, notice=_gone_notice())
    if not form.is_valid():
        return _after(request, workflow, draft, state=state, form=form)
    data = form.cleaned_data
    new_code = None if form.code_fixed else (data.get("code") or None)
    try:
        definition = designer.state_update(draft.definition, state, name=data["name"], public_name=data["public_name"],
                                           is_initial=data["is_initial"], is_final=data["is_final"],
                                           sla_hours=data["sla_hours"], new_code=new_code)
    except designer.Clash:
        form.add_error("code", _("Another state has this code."))
        return _after(request, workflow, draft, state=state, form=form)
    draft = _save(draft, definition)
    return _after(request, workflow, draft, state=new_code or state)


@login_required
@require_POST
def state_remove(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    try:
        definition = designer.state_remove(draft.definition, request.POST.get("state", ""))
    except designer.Gone:
        return _after(request, workflow, draft, notice=_gone_notice())
    draft = _save(draft, definition)
    return _after(request, workflow, draft)


@login_required
@require_POST
def state_move(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    state = request.POST.get("state", "")
    x, y = _int(request.POST.get("x")), _int(request.POST.get("y"))
    if x is None or y is None:
        return _after(request, workflow, draft, state=state, notice=_("The new place was not understood."))
    try:
        definition = designer.state_move(draft.definition, state, x=min(x, CHART_LIMIT), y=min(y, CHART_LIMIT))
    except designer.Gone:
        return _after(request, workflow, draft, notice=_gone_notice())
    draft = _save(draft, definition)
    return _after(request, workflow, draft, state=state)


@login_required
@require_POST
def transition_add(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    source, target = request.POST.get("source", ""), request.POST.get("target", "")
    try:
        target_name = designer.state_get(draft.definition, target).get("name") or target
        definition, new_code = designer.transition_add(
            draft.definition, source=source, target=target,
            name=_("To «%(state)s»") % {"state": target_name})
    except designer.Gone:
        return _after(request, workflow, draft, state=source or None,
                      notice=_("Choose two states of the chart: the step's start and its end."))
    draft = _save(draft, definition)
    return _after(request, workflow, draft, transition=(source, new_code))


@login_required
@require_POST
def transition_save(request, code):
    """Save a transition's panel; ``op=refresh`` (an action's type changed), ``op=add-action`` and
    ``op=remove-action-<n>`` redraw the panel with the posted values and save nothing."""
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    key = _selection(request.POST)[1]
    try:
        current = designer.transition_get(draft.definition, *key) if key else None
    except designer.Gone:
        current = None
    if current is None:
        return _after(request, workflow, draft, notice=_gone_notice())
    op = request.POST.get("op", "")
    drop = _int(op.rsplit("-", 1)[1]) if op.startswith("remove-action-") else None
    rows = action_forms(request.POST, workflow=workflow, drop=drop, add=op == "add-action")
    form = TransitionForm(request.POST, definition=draft.definition, workflow=workflow, current=current)
    if op:
        # Redraw only: the posted values stay in the fields, errors are not shown yet.
        form = TransitionForm(initial=_posted(form), definition=draft.definition, workflow=workflow, current=current)
        return _after(request, workflow, draft, transition=key, form=form, action_rows=_quiet(rows, workflow))
    valid = form.is_valid()
    valid = all([row.is_valid() for row in rows]) and valid
    if not valid:
        return _after(request, workflow, draft, transition=key, form=form, action_rows=rows)
    data = form.cleaned_data
    try:
        definition = designer.transition_update(
            draft.definition, *key, code=data["code"], name=data["name"], source=data["source"],
            target=data["target"], roles=list(data["roles"]), condition=data["condition"] or "",
            required_fields=list(data["required_fields"]), requires_comment=data["requires_comment"],
            actions=[row.action() for row in rows])
    except designer.Clash:
        form.add_error("code", _("Another step from this state has this code."))
        return _after(request, workflow, draft, transition=key, form=form, action_rows=rows)
    except designer.Gone:
        return _after(request, workflow, draft, notice=_gone_notice())
    draft = _save(draft, definition)
    return _after(request, workflow, draft, transition=(data["source"], data["code"]),
                  notice=_("Saved in your draft."))


def _posted(form) -> dict:
    """A bound form's raw values as initial values (lists for the multiple choices)."""
    initial = {}
    for name, field in form.fields.items():
        widget = field.widget
        initial[name] = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    return initial


def _quiet(rows, workflow):
    """Action rows redrawn from posted values without showing their errors."""
    from .forms import ActionForm

    quiet = []
    for row in rows:
        initial = _posted(row) if row.is_bound else row.initial
        quiet.append(ActionForm(prefix=row.prefix, workflow=workflow, kind=initial.get("type") or "",
                                initial=initial))
    return quiet


@login_required
@require_POST
def transition_remove(request, code):
    workflow = _workflow(request, code)
    draft = draft_get(workflow=workflow, user=request.user)
    key = _selection(request.POST)[1]
    try:
        if key is None:
            raise designer.Gone(None)
        definition = designer.transition_remove(draft.definition, *key)
    except designer.Gone:
        return _after(request, workflow, draft, notice=_gone_notice())
    draft = _save(draft, definition)
    return _after(request, workflow, draft, state=key[0])


@login_required
@require_POST
def draft_drop(request, code):
    workflow = _workflow(request, code)
    draft_discard(workflow=workflow, user=request.user)
    draft = draft_get(workflow=workflow, user=request.user)
    return _after(request, workflow, draft, notice=_("Your draft was discarded; you see the published workflow."))
