from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "aftersales.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import EventRule, MessageTemplate
        from .services import rules_changed

        for model in (EventRule, MessageTemplate):
            post_save.connect(rules_changed, sender=model, dispatch_uid=f"messaging_rules_{model.__name__}")
            post_delete.connect(rules_changed, sender=model, dispatch_uid=f"messaging_rules_del_{model.__name__}")
        from aftersales.organization.roles import Role, grant_by_default

        for role in (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
            grant_by_default(role, "messaging.view_message", "messaging.view_messagetemplate",
                             "messaging.add_messagetemplate", "messaging.change_messagetemplate",
                             "messaging.view_eventrule", "messaging.add_eventrule", "messaging.change_eventrule",
                             "messaging.view_optout")
        for role in (Role.CENTER_MANAGER, Role.CALL_CENTER_AGENT, Role.RECEPTIONIST):
            grant_by_default(role, "messaging.view_message")
