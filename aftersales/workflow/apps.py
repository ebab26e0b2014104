from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "aftersales.workflow"
    label = "workflow"
    verbose_name = _("Workflows")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        models = ["workflow", "state", "transition"]
        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER):
            grant_by_default(role, *(f"workflow.{a}_{m}" for m in models for a in ("view", "add", "change")))
