"""The marketing manager's Q&A scripts (F54): a script and its questions, an answer of which may move the stage."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin
from aftersales.core.persian import normalize_text
from aftersales.workflow.models import State, Transition

from .models import Script, ScriptQuestion
from .services import marketing_workflows

#: Answer → step pairs a question's form offers.
MOVE_PAIRS = 2


def marketing_states():
    return (State.objects.filter(workflow__in=marketing_workflows(), is_active=True).select_related("workflow")
            .order_by("workflow__name", "order", "pk"))


def step_choices(stage: State | None) -> list:
    """The steps an answer may move by: those of the stage's workflow (or every marketing workflow), each
    code once, grouped by workflow; whether a step leaves the stage is checked on saving."""
    steps = Transition.objects.filter(workflow__in=marketing_workflows()).select_related("workflow")
    if stage is not None:
        steps = steps.filter(workflow=stage.workflow_id)
    groups: dict[str, dict] = {}
    for step in steps.order_by("workflow__name", "order", "pk"):
        groups.setdefault(step.workflow.name, {}).setdefault(step.code, f"{step.name} ({step.code})")
    if len(groups) == 1:
        return [("", "—"), *next(iter(groups.values())).items()]
    return [("", "—"), *[(name, list(codes.items())) for name, codes in groups.items()]]


class ScriptForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Script
        fields = ["title", "topic", "stage"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = marketing_states()
        self.fields["stage"].label_from_instance = lambda state: f"{state.workflow.name} · {state.name}"
        self.fields["stage"].empty_label = _("any stage")

    def validate_unique(self):
        """The service saves the script; nothing here is unique."""


class QuestionForm(StyledFormMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("question"), max_length=300)
    kind = forms.ChoiceField(label=_("answer"), choices=ScriptQuestion.Kind.choices, initial=ScriptQuestion.Kind.TEXT)
    choices = forms.CharField(label=_("choices, one per line"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, MOVE_PAIRS + 1):
            self.fields[f"move_answer_{index}"] = forms.CharField(
                label=_("when the answer is"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}))
            self.fields[f"move_step_{index}"] = forms.ChoiceField(
                label=_("move the stage by"), required=False, choices=steps,
                widget=forms.Select(attrs={"class": "form-select"}))

    def move_pairs(self):
        return [(self[f"move_answer_{index}"], self[f"move_step_{index}"]) for index in range(1, MOVE_PAIRS + 1)]

    def clean(self):
        data = super().clean()
        moves = {}
        for index in range(1, MOVE_PAIRS + 1):
            answer = normalize_text(data.get(f"move_answer_{index}") or "")
            step = data.get(f"move_step_{index}") or ""
            if answer and not step:
                self.add_error(f"move_step_{index}", _("Choose the step this answer moves by."))
            elif step and not answer:
                self.add_error(f"move_answer_{index}", _("Write the answer that moves the stage."))
            elif answer:
                moves[answer] = step
        data["moves"] = moves
        data["choices"] = [line for line in (normalize_text(line) for line in (data.get("choices") or "").splitlines())
                           if line]
        return data

    def question(self) -> dict | None:
        """The question as ``script_save`` takes it; None for an empty or deleted row."""
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("text"):
            return None
        return {"id": data.get("id"), "text": data["text"], "kind": data["kind"], "choices": data["choices"],
                "moves": data["moves"]}

    @staticmethod
    def initial_for(question: ScriptQuestion) -> dict:
        initial = {"id": question.pk, "text": question.text, "kind": question.kind,
                   "choices": "\n".join(question.choices or [])}
        for index, (answer, step) in enumerate(list((question.moves or {}).items())[:MOVE_PAIRS], start=1):
            initial[f"move_answer_{index}"], initial[f"move_step_{index}"] = answer, step
        return initial


class _QuestionFormSet(forms.BaseFormSet):
    def questions(self) -> list[dict]:
        """The filled rows in order; their indexes in the formset kept for the errors."""
        rows = []
        for form in self.forms:
            question = form.question()
            if question is not None:
                question["order"] = len(rows)
                rows.append((form, question))
        self.saved_rows = rows
        return [question for _form, question in rows]


QuestionFormSet = forms.formset_factory(QuestionForm, formset=_QuestionFormSet, extra=2, can_delete=True,
                                        max_num=60, validate_max=True)


def script_values(form: ScriptForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("title", "topic", "stage")}
