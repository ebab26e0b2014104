from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import AuditedAdmin, SafeInline, SafeStackedInline

from .chart import workflow_svg
from .engine import actions, conditions
from .models import State, Transition, Workflow

# The JSON boxes of a step are narrow and short: the stacked steps must fit a 1366 px screen.
_JSON_BOX = {"cols": 36, "rows": 2, "class": "workflow-admin-json", "dir": "ltr"}


class StateInline(SafeInline):
    model = State
    extra = 0
    fields = ["order", "code", "name", "public_name", "is_initial", "is_final", "sla_hours", "is_active"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("code", "name", "public_name", "order", "sla_hours") and field is not None:
            field.widget.attrs["class"] = f"workflow-admin-{db_field.name}"
        return field


class TransitionForm(forms.ModelForm):
    class Meta:
        model = Transition
        fields = "__all__"
        widgets = {name: forms.Textarea(attrs=_JSON_BOX) for name in ("roles", "required_fields", "actions")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"] = forms.ChoiceField(
            label=_("condition"), required=False,
            choices=[("", "—")] + [(code, label) for code, (label, _check) in conditions().items()],
        )
        for name in ("source", "target"):
            if name in self.fields:
                self.fields[name].queryset = self.fields[name].queryset.filter(is_active=True)


class TransitionInline(SafeStackedInline):
    model = Transition
    form = TransitionForm
    extra = 0
    fk_name = "workflow"
    fields = [("order", "code", "name"), ("source", "target"), ("roles", "required_fields"),
              ("condition", "requires_comment"), "actions"]


@admin.register(Workflow)
class WorkflowAdmin(AuditedAdmin):
    list_display = ["name", "code", "subject", "version", "is_active"]
    inlines = [StateInline, TransitionInline]
    readonly_fields = ["designer", "version", "chart", "available_actions"]
    fields = ["code", "name", "is_active", "subject", "version", "designer", "chart", "available_actions"]

    class Media:
        css = {"all": ["workflow/admin_workflow.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "subject" and field is not None:
            from django.contrib.contenttypes.models import ContentType

            from .engine import subject_models

            field.queryset = field.queryset.filter(
                pk__in=[ContentType.objects.get_for_model(model).pk for model in subject_models()])
        return field

    @admin.display(description=_("designer"))
    def designer(self, workflow):
        if not workflow.pk:
            return "—"
        try:
            url = reverse("workflow:designer", args=[workflow.code])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, gettext("Edit in the workflow designer"))

    @admin.display(description=_("chart"))
    def chart(self, workflow):
        if not workflow.pk:
            return "—"
        return format_html('<div class="workflow-admin-chart">{}</div>', mark_safe(workflow_svg(workflow)))

    @admin.display(description=_("actions a transition may run"))
    def available_actions(self, workflow):
        return "، ".join(f"{code} ({label})" for code, (label, _run) in actions().items())

    def save_related(self, request, form, formsets, change):
        """An expert's edit of the states and steps is kept as a version too, so the versions stay complete."""
        from .definition import workflow_record_version

        super().save_related(request, form, formsets, change)
        edited = any(formset.has_changed() for formset in formsets)
        if edited or (change and form.has_changed()) or not form.instance.versions.exists():
            workflow_record_version(workflow=form.instance, acting_user=request.user,
                                    reason=gettext("Edited in the admin."))
