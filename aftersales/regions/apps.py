from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "aftersales.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        from . import desk  # noqa: F401  registers the pages

        for role in Role:
            grant_by_default(role, "regions.view_region", "regions.view_salesterritory")
        for role in (Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
            grant_by_default(
                role, "regions.add_region", "regions.change_region",
                "regions.add_salesterritory", "regions.change_salesterritory",
            )
