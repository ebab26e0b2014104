from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "aftersales.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        from .definitions import load

        load()
        from .panels import panels_register

        panels_register()
        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER, Role.MARKETING_MANAGER,
                     Role.ACCOUNTANT, Role.WAREHOUSE_KEEPER):
            grant_by_default(role, "reports.view_reports")
        from aftersales.core.demo import register_seeder

        from .demo import seed_reports_history

        register_seeder("reports-history", seed_reports_history, order=200)
