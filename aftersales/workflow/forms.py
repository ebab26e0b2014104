"""The designer's side-panel forms: a state, a transition and its actions, every choice a Persian picker.

The forms read and give the definition's shapes (``definition.py``); the view applies them to the
user's draft with ``designer.py``.
"""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin, number_text
from aftersales.core.persian import to_ascii_digits

from . import designer
from .definition import role_choices, subject_fields
from .engine import action_params, actions, conditions, param_choices

NONE = ""


def _clean_text(value) -> str:
    return " ".join(str(value or "").split())


class CodeField(forms.CharField):
    default_error_messages = {
        "invalid": _("Use Latin letters, digits, - and _ only (at most 40), such as waiting_for_collection."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", designer.CODE_MAX)
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "ltr", "autocomplete": "off", "spellcheck": "false", "class": "code-latin"})

    def clean(self, value):
        value = super().clean(to_ascii_digits(value or "").strip())
        if value and not designer.is_code(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class HoursField(forms.DecimalField):
    """Positive hours, typed with Persian or Latin digits; empty is none."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_digits=8, decimal_places=2, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(number_text(value))

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Enter a number of hours above zero."), code="min_value")


class NumberField(forms.DecimalField):
    """A number typed with Persian or Latin digits."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(number_text(value))


class StateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    public_name = forms.CharField(label=_("What the customer reads"), max_length=120, required=False,
                                  help_text=_("Plain words for the tracking page; empty: the name."))
    code = CodeField(label=_("Code"), required=False,
                     help_text=_("Fixed once published: the records' history names the state by it."))
    is_initial = forms.BooleanField(label=_("Initial state (new records start here)"), required=False)
    is_final = forms.BooleanField(label=_("Final state (the work ends here)"), required=False)
    sla_hours = forms.IntegerField(label=_("Due within (hours)"), required=False, min_value=1, max_value=100000,
                                   help_text=_("Work in this state is overdue after this many hours; empty: no limit."))

    def __init__(self, *args, code_fixed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.code_fixed = code_fixed
        if code_fixed:
            self.fields["code"].disabled = True

    def clean_name(self):
        return _clean_text(self.cleaned_data["name"])

    def clean_public_name(self):
        return _clean_text(self.cleaned_data["public_name"])


def _kind_field(param, workflow):
    """A form field for one action parameter, by its kind."""
    label, required = param.label, param.required
    if param.kind == "hours":
        return HoursField(label=label, required=required)
    if param.kind == "number":
        return NumberField(label=label, required=required)
    choices = list(param_choices(param, workflow))
    if not choices and param.kind in ("field", "date_field") and workflow is not None:
        choices = list(subject_fields(workflow))
    return forms.ChoiceField(label=label, required=required, choices=[(NONE, "—"), *choices])


class ActionForm(StyledFormMixin, forms.Form):
    """One action of a transition: its type, then the type's parameters as fields."""

    type = forms.ChoiceField(label=_("Action"))
    extra = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workflow=None, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        registered = actions()
        choices = [(NONE, _("— choose an action —"))] + [(code, label) for code, (label, _run) in registered.items()]
        if self.is_bound:
            kind = self.data.get(self.add_prefix("type"), kind)
        if kind and kind not in registered:
            choices.append((kind, _("unknown action: %(code)s") % {"code": kind}))
        self.fields["type"].choices = choices
        self.fields["type"].widget.attrs["data-action-type"] = ""
        self.kind = kind or ""
        self.params = action_params(self.kind) if self.kind in registered else []
        for param in self.params:
            field = self.fields[f"p_{param.name}"] = _kind_field(param, workflow)
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if not data.get("type"):
            self.add_error("type", _("Choose an action, or remove this row."))
        return data

    def action(self) -> dict:
        """The action as the definition keeps it: {"type": ..., param: value, ...}."""
        data = self.cleaned_data
        try:
            kept = json.loads(data.get("extra") or "{}")
        except ValueError:
            kept = {}
        if not isinstance(kept, dict) or kept.get("type") != data["type"]:
            kept = {}  # parameters kept aside belong to the type the row had
        action = {"type": data["type"], **{key: value for key, value in kept.items() if key != "type"}}
        for param in self.params:
            value = data.get(f"p_{param.name}")
            if value in (None, ""):
                if param.kind == "hours" and not param.required:
                    value = None
                else:
                    action.pop(param.name, None)
                    continue
            elif param.kind in ("hours", "number"):
                value = int(value) if value == int(value) else float(value)
            action[param.name] = value
        return action


def action_initial(action: dict, kind_params) -> dict:
    """The form's initial values for an action of the definition, and its parameters kept aside."""
    names = {param.name for param in kind_params}
    initial = {"type": action.get("type", "")}
    for param in kind_params:
        value = action.get(param.name)
        initial[f"p_{param.name}"] = "" if value is None else value
    initial["extra"] = json.dumps({k: v for k, v in action.items() if k not in names}, ensure_ascii=False)
    return initial


class TransitionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name (on the button)"), max_length=80)
    code = CodeField(label=_("Code"))
    source = forms.ChoiceField(label=_("From state"))
    target = forms.ChoiceField(label=_("To state"))
    roles = forms.MultipleChoiceField(label=_("Who may take it"), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("None ticked: anyone who may work on the record."))
    condition = forms.ChoiceField(label=_("Only when"), required=False)
    required_fields = forms.MultipleChoiceField(label=_("Fields to fill first"), required=False,
                                                help_text=_("Hold Ctrl to choose several."))
    requires_comment = forms.BooleanField(label=_("Needs a comment"), required=False)

    def __init__(self, *args, definition: dict, workflow=None, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        states = [(s["code"], s.get("name") or s["code"]) for s in definition.get("states", [])]
        self.fields["source"].choices = states
        self.fields["target"].choices = states
        roles = list(role_choices())
        known = {code for code, _label in roles}
        roles += [(code, _("unknown role: %(code)s") % {"code": code})
                  for code in current.get("roles") or [] if code not in known]
        self.fields["roles"].choices = roles
        condition_choices = [(NONE, "—")] + [(code, label) for code, (label, _check) in conditions().items()]
        if current.get("condition") and current["condition"] not in conditions():
            condition_choices.append((current["condition"],
                                      _("unknown condition: %(code)s") % {"code": current["condition"]}))
        self.fields["condition"].choices = condition_choices
        fields = list(subject_fields(workflow)) if workflow is not None else []
        known_fields = {name for name, _label in fields}
        fields += [(name, _("unknown field: %(name)s") % {"name": name})
                   for name in current.get("required_fields") or [] if name not in known_fields]
        self.fields["required_fields"].choices = fields
        self.fields["required_fields"].widget.attrs["size"] = str(min(8, max(3, len(fields))))
        self.fields["roles"].widget.attrs["class"] = "form-check-input"

    def clean_name(self):
        return _clean_text(self.cleaned_data["name"])


def transition_initial(transition: dict) -> dict:
    return {key: transition.get(key) for key in ("name", "code", "source", "target", "roles", "condition",
                                                 "required_fields", "requires_comment")}


def action_forms(data=None, *, actions_list=None, workflow=None, drop: int | None = None, add: bool = False):
    """The action rows of a transition's panel: from posted ``data`` (rows ``action-<n>-…``, their count
    in ``action-count``) or else from the definition's ``actions_list``; ``drop`` leaves a row out,
    ``add`` appends an empty one."""
    forms_ = []
    if data is not None:
        try:
            count = min(int(data.get("action-count") or 0), 30)
        except ValueError:
            count = 0
        for index in range(count):
            if index == drop:
                continue
            prefix = f"action-{index}"
            if f"{prefix}-type" not in data:
                continue
            forms_.append(ActionForm(data, prefix=prefix, workflow=workflow))
    else:
        for index, action in enumerate(actions_list or []):
            if not isinstance(action, dict):
                continue
            kind = action.get("type", "")
            params = action_params(kind) if kind in actions() else []
            forms_.append(ActionForm(prefix=f"action-{index}", workflow=workflow, kind=kind,
                                     initial=action_initial(action, params)))
    if add:
        index = 0
        used = {form.prefix for form in forms_}
        while f"action-{index}" in used or (data is not None and f"action-{index}-type" in data):
            index += 1
        forms_.append(ActionForm(prefix=f"action-{index}", workflow=workflow))
    return forms_
