from django import forms
from django.contrib import admin
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import AuditedAdmin, SafeInline, SafeStackedInline

from .chart import workflow_svg
from .engine import actions, conditions
from .models import State, Transition, Workflow


class StateInline(SafeInline):
    model = State
    extra = 0
    fields = ["order", "code", "name", "public_name", "is_initial", "is_final", "sla_hours"]


class TransitionForm(forms.ModelForm):
    class Meta:
        model = Transition
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"] = forms.ChoiceField(
            label=_("condition"), required=False,
            choices=[("", "—")] + [(code, label) for code, (label, _check) in conditions().items()],
        )


class TransitionInline(SafeStackedInline):
    model = Transition
    form = TransitionForm
    extra = 0
    fk_name = "workflow"
    fields = [("order", "code", "name"), ("source", "target"), "roles", "condition", "required_fields",
              "requires_comment", "actions"]


@admin.register(Workflow)
class WorkflowAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_active"]
    inlines = [StateInline, TransitionInline]
    readonly_fields = ["chart", "available_actions"]
    fields = ["code", "name", "is_active", "chart", "available_actions"]

    @admin.display(description=_("chart"))
    def chart(self, workflow):
        return mark_safe(workflow_svg(workflow)) if workflow.pk else "—"

    @admin.display(description=_("actions a transition may run"))
    def available_actions(self, workflow):
        return "، ".join(f"{code} ({label})" for code, (label, _run) in actions().items())
