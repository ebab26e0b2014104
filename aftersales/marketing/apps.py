from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "aftersales.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self):
        from aftersales.core.demo import register_seeder

        from .demo import seed_marketing

        register_seeder("marketing", seed_marketing, order=70)
        from aftersales.desk import registry
        from aftersales.organization.roles import Role, grant_by_default

        from .views import customer_panel

        registry.get("customers").detail_panels.append(("marketing/partials/customer_log.html", customer_panel))
        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
            grant_by_default(role, "marketing.view_campaign", "marketing.add_campaign", "marketing.change_campaign",
                             "messaging.view_messagetemplate")
        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER, Role.CENTER_MANAGER,
                     Role.RECEPTIONIST, Role.CALL_CENTER_AGENT, Role.VISITOR):
            grant_by_default(role, "marketing.view_contact", "marketing.add_contact")
