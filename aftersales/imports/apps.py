from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "aftersales.imports"
    label = "imports"
    verbose_name = _("Excel import")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        for role in (Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER, Role.WAREHOUSE_KEEPER, Role.MARKETING_MANAGER):
            grant_by_default(role, "imports.view_importjob")  # see the imports of others; running one needs the importer's permission
