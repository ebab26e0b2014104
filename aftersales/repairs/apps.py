from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "aftersales.repairs"
    label = "repairs"
    verbose_name = _("Repair workshop")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.workflow.engine import state_left

        from .models import RepairOrder
        from .tallies import state_left as tally_state_left

        state_left.connect(tally_state_left, sender=RepairOrder, dispatch_uid="repairs-state-months")

        from .demo import seed_repairs, seed_workflow_version

        register_seeder("repairs-workflow-version", seed_workflow_version, order=54)
        register_seeder("repairs", seed_repairs, order=55)
        from .demo_schedule import seed_home_visits

        register_seeder("repairs-home-visits", seed_home_visits, order=56)
        from .demo import seed_service_requests

        register_seeder("repairs-requests", seed_service_requests, order=58)
        from aftersales.messaging.events import event_choices, register_event
        from aftersales.organization.roles import Role, grant_by_default
        from aftersales.workflow.engine import (Param, register_action, register_condition, register_param_choices,
                                                register_subject)

        from .models import RepairOrder
        from .services import order_assign_by_step

        register_subject(RepairOrder)
        register_param_choices("event", event_choices)

        def assignees():
            return [("acting_user", _("the one who takes the step")), ("received_by", _("the receptionist")),
                    ("nobody", _("nobody (back to the queue)"))]

        def assign_problem(params):
            if params.get("to") not in {value for value, _label in assignees()}:
                return _("Choose whom to assign the order to.")
            return None

        register_action("assign", _("assign the order"), order_assign_by_step, assign_problem,
                        params=[Param("to", "choice", _("to"), choices=assignees)])

        variables = ("customer_name", "tracking_code", "product", "date", "link", "center_name", "amount", "cost")
        register_event("reception_created", _("unit received for repair"), variables=variables)
        register_event("repair_estimate", _("cost estimate for the customer"), variables=variables)
        register_event("repair_ready", _("repair ready for hand-back"), variables=variables)
        register_event("repair_handed_back", _("unit handed back"), variables=variables)
        # Service requests from the customers' portal (issue 22).
        from aftersales.messaging.templating import register_variable

        # Never missing from a decline (the service requires it); a gateway pattern takes no empty value.
        register_variable("reason", _("reason given to the customer"), fallback=_("No reason was given."))
        request_variables = ("customer_name", "product", "center_name", "date")
        register_event("service_request_received", _("service request received from a customer"),
                       variables=request_variables)
        register_event("service_request_declined", _("service request declined"),
                       variables=(*request_variables, "reason"))

        def limit():
            return settings.REPAIRS_APPROVAL_LIMIT

        register_condition("warranty", _("a warranty repair"), lambda order: order.is_warranty)
        register_condition("not_warranty", _("a non-warranty repair"), lambda order: not order.is_warranty)
        register_condition("estimate_needed", _("a non-warranty repair above the approval limit"),
                           lambda order: not order.is_warranty and (order.estimate_amount or 0) > limit())
        register_condition("estimate_not_needed", _("a warranty repair or one within the approval limit"),
                           lambda order: order.is_warranty or (order.estimate_amount or 0) <= limit())
        register_condition("estimate_approved", _("the customer approved the estimate"),
                           lambda order: order.estimate_status == "approved")
        register_condition("estimate_refused", _("the customer refused the estimate"),
                           lambda order: order.estimate_status == "refused")
        register_condition("not_refused", _("the estimate was not refused"),
                           lambda order: order.estimate_status != "refused")
        from .selectors import parts_settled, someone_else_checks

        register_condition("parts_settled", _("every requested part issued or cancelled"), parts_settled)
        register_condition("not_the_repairer", _("someone other than the one who repaired it"), someone_else_checks,
                           with_user=True)

        from aftersales.desk import registry

        from .views import customer_history_panel, unit_history_panel

        registry.get("units").detail_panels.append(("repairs/partials/history_panel.html", unit_history_panel))
        registry.get("customers").detail_panels.append(("repairs/partials/history_panel.html", customer_history_panel))

        everyone = ["repairs.view_repairorder"]
        for role in Role:
            grant_by_default(role, *everyone)
        for role in (Role.RECEPTIONIST, Role.CENTER_MANAGER, Role.CALL_CENTER_AGENT):
            grant_by_default(role, "repairs.add_repairorder")
        for role in (Role.RECEPTIONIST, Role.CENTER_MANAGER, Role.TECHNICIAN, Role.WAREHOUSE_KEEPER):
            grant_by_default(role, "repairs.change_repairorder")
        for role in (Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.SYSTEM_ADMIN):
            grant_by_default(role, "repairs.override_warranty", "repairs.change_repairorder", "repairs.refer_repairorder",
                             "repairs.override_estimate")
