"""The phone-sized contact form (F56): kind, outcome, what was said, a script's questions as fields (F54),
questions asked ad hoc, the next step, a stage move and the appointment it fulfils."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin, number_text
from aftersales.core.persian import normalize_text
from aftersales.marketing.models import Contact
from aftersales.workflow.engine import transition_explain

from .models import Appointment, Party, Script, ScriptQuestion

#: Ad hoc questions a page may carry (each «add a question» adds one).
ADHOC_MAX = 10
NOTES_MAX = 4000


def scripts_for(party: Party | None, query: str = ""):
    """The scripts in use for the party's stage (and those for any stage), found by title, topic or question."""
    from aftersales.core.search import search_filter

    scripts = Script.objects.filter(is_active=True).select_related("stage")
    if party is not None:
        scripts = scripts.filter(Q(stage__isnull=True) | Q(stage=party.state_id))
    return search_filter(scripts, query).order_by("topic", "title")


def script_groups(scripts) -> list[tuple[str, list[tuple[int, str]]]]:
    """(topic, [(id, title)…]) in the scripts' order."""
    groups: dict[str, list] = {}
    for script in scripts:
        groups.setdefault(script.topic, []).append((script.pk, script.title))
    return list(groups.items())


def script_choices(scripts) -> list:
    """A drop-down's choices grouped by topic."""
    return [("", _("— no script —")), *script_groups(scripts)]


def due_appointments(party: Party):
    """The party's booked appointments of today and the days before, which a contact may fulfil."""
    end_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1),
                                                                 datetime.time.min))
    return (Appointment.objects.filter(party=party, status=Appointment.Status.BOOKED, at__lt=end_of_today)
            .order_by("at"))


def answer_field(question: ScriptQuestion) -> forms.Field:
    """The form field a script's question is answered in."""
    label = question.text
    if question.kind == ScriptQuestion.Kind.CHOICE:
        return forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                 choices=[(choice, choice) for choice in question.choices])
    if question.kind == ScriptQuestion.Kind.YES_NO:
        return forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                 choices=[(gettext("yes"), _("yes")), (gettext("no"), _("no"))])
    if question.kind == ScriptQuestion.Kind.NUMBER:
        return forms.CharField(label=label, required=False, max_length=30,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}))
    return forms.CharField(label=label, required=False, max_length=1000)


class ContactLogForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("kind"), choices=Contact.Kind.choices, initial=Contact.Kind.VISIT,
                             widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("outcome"), choices=Contact.Outcome.choices, required=False,
                                widget=forms.RadioSelect)
    notes = forms.CharField(label=_("what was said"), required=False, max_length=NOTES_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))
    script = forms.TypedChoiceField(label=_("Q&A script"), required=False, coerce=int, empty_value=None)
    adhoc = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=ADHOC_MAX)
    next_step = forms.CharField(label=_("next step"), required=False, max_length=200)
    next_step_date = JalaliDateField(label=_("next step on"), required=False)
    move = forms.ChoiceField(label=_("move the stage"), required=False)
    comment = forms.CharField(label=_("why (for the stage move)"), required=False, max_length=1000)
    appointment = forms.ModelChoiceField(label=_("the appointment it fulfils"), queryset=Appointment.objects.none(),
                                         required=False, empty_label=_("— none —"))

    def __init__(self, *args, party: Party, user, can_move: bool = True, steps=None, **kwargs):
        """``steps``: the open ``workflow.engine.StepCheck``s out of the party's stage (found when not given)."""
        super().__init__(*args, **kwargs)
        self.party, self.user = party, user
        self.scripts = list(scripts_for(party))
        self.fields["script"].choices = script_choices(self.scripts)
        if steps is None:
            steps = [check for check in transition_explain(party, user=user) if check.open]
        self.steps = {check.transition.code: check.transition for check in steps} if can_move else {}
        self.fields["move"].choices = [("", _("— stay in «%(stage)s» —") % {"stage": party.state.name}), *[
            (code, _("%(step)s (asks why)") % {"step": step.name} if step.requires_comment else step.name)
            for code, step in self.steps.items()]]
        if not can_move:
            del self.fields["move"], self.fields["comment"]
        self.fields["appointment"].queryset = due_appointments(party)
        self.fields["appointment"].label_from_instance = self._appointment_label
        self.fields["kind"].widget.attrs["class"] = "btn-check"
        self.fields["outcome"].widget.attrs["class"] = "btn-check"
        # The chosen script's questions, answered as fields q_<id>.
        self.questions = []
        script_id = self._raw_int("script")
        if script_id and any(script.pk == script_id for script in self.scripts):
            self.questions = list(ScriptQuestion.objects.filter(script_id=script_id).order_by("order", "pk"))
        for question in self.questions:
            field = answer_field(question)
            self.fields[f"q_{question.pk}"] = field
            field.widget.attrs["class"] = ("btn-check" if isinstance(field.widget, forms.RadioSelect)
                                           else "form-control form-control-lg")
        self.adhoc_count = min(ADHOC_MAX, max(1, self._raw_int("adhoc") or 1))
        for index in range(self.adhoc_count):
            self.fields[f"adhoc_q_{index}"] = forms.CharField(
                label=_("question"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("question")}))
            self.fields[f"adhoc_a_{index}"] = forms.CharField(
                label=_("answer"), required=False, max_length=1000,
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("answer")}))

    def _raw_int(self, name: str) -> int | None:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        try:
            return int(number_text(str(value))) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _appointment_label(appointment: Appointment) -> str:
        from aftersales.core.jalali import format_datetime

        return f"{appointment.get_kind_display()} · {format_datetime(appointment.at)}"

    def script_groups(self):
        return script_groups(self.scripts)

    def chosen_script(self) -> int | None:
        return self._raw_int("script")

    def question_fields(self):
        return [(question, self[f"q_{question.pk}"]) for question in self.questions]

    def adhoc_fields(self):
        return [(self[f"adhoc_q_{index}"], self[f"adhoc_a_{index}"]) for index in range(self.adhoc_count)]

    def clean(self):
        data = super().clean()
        answers = []
        for question in self.questions:
            name = f"q_{question.pk}"
            answer = normalize_text(data.get(name) or "")
            if answer and question.kind == ScriptQuestion.Kind.NUMBER:
                try:
                    Decimal(number_text(answer).replace("/", "."))
                except InvalidOperation:
                    self.add_error(name, _("Enter a number."))
                    continue
            if answer:
                answers.append((question, answer))
        for index in range(self.adhoc_count):
            asked = normalize_text(data.get(f"adhoc_q_{index}") or "")
            answer = normalize_text(data.get(f"adhoc_a_{index}") or "")
            if answer and not asked:
                self.add_error(f"adhoc_q_{index}", _("Write the question this answers."))
            elif asked and not answer:
                self.add_error(f"adhoc_a_{index}", _("Write the answer, or clear the question."))
            elif asked:
                answers.append((asked, answer))
        data["answers"] = answers
        data["notes"] = (data.get("notes") or "").strip()
        if not data["notes"] and not answers and "notes" not in self.errors:
            self.add_error("notes", _("Write what was said, or answer a question."))
        step = self.steps.get(data.get("move") or "")
        if step is not None and step.requires_comment and not (data.get("comment") or "").strip() \
                and not data["notes"]:
            self.add_error("comment", _("«%(step)s» needs a comment: say why.") % {"step": step.name})
        return data
