from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "aftersales.workflow"
    label = "workflow"
    verbose_name = _("Workflows")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .engine import definitions_changed
        from .models import State, Transition, Workflow

        for model in (Workflow, State, Transition):
            post_save.connect(definitions_changed, sender=model, dispatch_uid=f"workflow_changed_{model.__name__}")
            post_delete.connect(definitions_changed, sender=model, dispatch_uid=f"workflow_deleted_{model.__name__}")
        from aftersales.organization.roles import Role, grant_by_default

        models = ["workflow", "state", "transition"]
        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER):
            grant_by_default(role, *(f"workflow.{a}_{m}" for m in models for a in ("view", "add", "change")))
            grant_by_default(role, "workflow.view_workflowversion")
