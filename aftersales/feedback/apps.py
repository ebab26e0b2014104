from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "aftersales.feedback"
    label = "feedback"
    verbose_name = _("Complaints and surveys")

    def ready(self):
        from aftersales.core.demo import register_seeder

        from .demo import seed_feedback

        register_seeder("feedback", seed_feedback, order=60)
        from aftersales.desk import registry
        from aftersales.messaging.events import register_event
        from aftersales.messaging.signals import inbound_received
        from aftersales.organization.roles import Role, grant_by_default

        from . import desk  # noqa: F401
        from .services import complaint_from_inbound, survey_after_service
        from .views import complaint_panel

        registry.get("complaints").detail_panels.append(("feedback/partials/complaint_panel.html", complaint_panel))
        from aftersales.repairs.panels import register_order_panel

        from .views import order_complaints_panel

        register_order_panel("feedback/partials/order_complaints.html", order_complaints_panel)
        from aftersales.repairs.panels import register_history_facts

        from .history import order_survey_facts

        register_history_facts(order_survey_facts)
        inbound_received.connect(complaint_from_inbound, dispatch_uid="feedback_complaint_from_inbound")
        from aftersales.workflow.engine import register_action

        register_action("survey", _("send the customer a satisfaction survey"), survey_after_service)
        register_event("survey_invitation", _("satisfaction survey after a service"),
                       variables=("customer_name", "link", "center_name", "product"))

        handlers = (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER, Role.CALL_CENTER_AGENT,
                    Role.MARKETING_MANAGER)
        for role in handlers:
            grant_by_default(role, "feedback.view_complaint", "feedback.add_complaint", "feedback.change_complaint",
                             "feedback.view_survey")
        grant_by_default(Role.RECEPTIONIST, "feedback.view_complaint", "feedback.add_complaint")
