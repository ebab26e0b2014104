from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "aftersales.personnel"
    label = "personnel"
    verbose_name = _("Personnel")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.organization.roles import Role, grant_by_default

        from .demo import seed_personnel

        register_seeder("personnel", seed_personnel, order=30)
        from aftersales.desk import registry

        from . import desk  # noqa: F401
        from .views import staff_skills_panel

        registry.get("staff").detail_panels.append(("personnel/partials/staff_skills.html", staff_skills_panel))

        for role in Role:
            grant_by_default(role, "personnel.view_staffprofile", "personnel.view_skill", "personnel.view_team")
        for role in (Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER):
            grant_by_default(role, "personnel.add_staffprofile", "personnel.change_staffprofile",
                             "personnel.add_staffskill", "personnel.change_staffskill", "personnel.delete_staffskill",
                             "personnel.add_team",
                             "personnel.change_team")
        grant_by_default(Role.HEAD_OFFICE_MANAGER, "personnel.add_skill", "personnel.change_skill")
