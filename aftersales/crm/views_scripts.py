"""The marketing manager's Q&A scripts (F54): the list by topic with Persian search, a script with its
questions, deactivation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.search import search_filter

from . import services
from .forms_scripts import QuestionForm, QuestionFormSet, ScriptForm, script_values, step_choices
from .models import Script

QUESTION_FIELDS = {"text": "text", "kind": "kind", "choices": "choices", "moves": "move_step_1"}


@login_required
@permission_required("crm.view_script", raise_exception=True)
def script_list(request):
    query = request.GET.get("q", "").replace("\x00", "")
    scripts = search_filter(Script.objects.select_related("stage", "stage__workflow"), query)
    if request.GET.get("inactive") != "1":
        scripts = scripts.filter(is_active=True)
    groups: dict[str, list] = {}
    for script in scripts.order_by("topic", "title")[:500]:
        groups.setdefault(script.topic, []).append(script)
    context = {"groups": list(groups.items()), "query": query, "inactive": request.GET.get("inactive") == "1",
               "can_add": request.user.has_perm("crm.add_script"),
               "can_change": request.user.has_perm("crm.change_script")}
    if request.htmx:
        return render(request, "crm/partials/script_groups.html", context)
    return render(request, "crm/script_list.html", context)


def _edit(request, script: Script | None):
    stage = script.stage if script is not None else None
    if request.method == "POST":
        form = ScriptForm(request.POST, instance=script)
        chosen = form.cleaned_data["stage"] if form.is_valid() else stage
        formset = QuestionFormSet(request.POST, prefix="question", form_kwargs={"steps": step_choices(chosen)})
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.script_save(acting_user=request.user, script=script, questions=formset.questions(),
                                             **script_values(form))
            except ValidationError as error:
                _errors(form, formset, error)
            else:
                messages.success(request, _("The script was saved."))
                return redirect("crm:script-edit", pk=saved.pk)
        status = 400
    else:
        form = ScriptForm(instance=script)
        initial = [QuestionForm.initial_for(question) for question in script.questions.all()] if script else []
        formset = QuestionFormSet(initial=initial, prefix="question", form_kwargs={"steps": step_choices(stage)})
        status = 200
    return render(request, "crm/script_form.html", {"form": form, "formset": formset, "script": script},
                  status=status)


def _errors(form, formset, error: ValidationError) -> None:
    """The service's errors next to the fields: the script's, and each question's (``questions[i].field``)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    rows = getattr(formset, "saved_rows", [])
    for key, messages_ in error.message_dict.items():
        if key.startswith("questions["):
            index, _dot, field = key[len("questions["):].partition("].")
            row = rows[int(index)][0] if index.isdigit() and int(index) < len(rows) else None
            if row is None:
                form.add_error(None, messages_)
            else:
                row.add_error(QUESTION_FIELDS.get(field), messages_)
        else:
            form.add_error(key if key in form.fields else None, messages_)


@login_required
@permission_required("crm.add_script", raise_exception=True)
def script_create(request):
    return _edit(request, None)


@login_required
@permission_required("crm.change_script", raise_exception=True)
def script_edit(request, pk):
    return _edit(request, get_object_or_404(Script.objects.select_related("stage"), pk=pk))


@login_required
@permission_required("crm.change_script", raise_exception=True)
@require_POST
def script_active(request, pk):
    """Take a script out of use (it stays in the log's history), or back into use."""
    script = get_object_or_404(Script, pk=pk)
    active = request.POST.get("active") == "1"
    services.script_save(acting_user=request.user, script=script, is_active=active)
    messages.success(request, _("The script is in use again.") if active else _("The script is no longer offered."))
    return redirect("crm:script-edit", pk=script.pk)
