"""What the contracts part of sales registers when the app is ready: default permissions, events, panels, signals."""

from django.utils.translation import gettext_lazy as _


def alarms_panel(user) -> dict | None:
    """The user's unseen contract and cheque alarms for the cartable; hidden when there are none."""
    from .selectors_contracts import alarms_unseen

    alarms = alarms_unseen(user=user)
    if not alarms["count"]:
        return None
    return alarms


def ready() -> None:
    from aftersales.messaging.events import register_event
    from aftersales.organization.dashboard import Panel, register_panel
    from aftersales.organization.roles import Role, grant_by_default

    from aftersales.messaging.templating import register_variable

    register_event("sales_alarm", _("contract or cheque alarm"), recipients=("responsible",),
                   variables=("text", "due_date", "contract", "user_name"))
    # The alarm's own variables, so that its shipped template (and an administrator's edit) passes validation.
    register_variable("text", _("the alarm's text"))
    register_variable("due_date", _("due date (Jalali)"))
    register_variable("contract", _("contract number"), fallback="")
    register_variable("user_name", _("the responsible user's name"), fallback=_("colleague"))
    register_panel(Panel("sales_alarms", "sales/partials/alarms_panel.html", alarms_panel, order=11))

    grant_by_default(Role.ACCOUNTANT, "sales.view_contract", "sales.add_contract", "sales.view_cheque",
                     "sales.add_cheque", "sales.change_cheque", "sales.view_receipt", "sales.add_receipt",
                     "sales.view_alarm", "customers.view_customer")
    for role in (Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
        grant_by_default(role, "sales.view_contract", "sales.add_contract", "sales.change_contract",
                         "sales.view_cheque", "sales.view_alarm", "customers.view_customer")
    grant_by_default(Role.VISITOR, "sales.view_contract", "sales.view_alarm")

    # The demo's returned cheque brings its drawer into the CRM: after the CRM's demo (75), which wants it empty.
    from aftersales.core.demo import register_seeder

    from .demo_contracts import seed_returned

    register_seeder("sales-returned-cheque", seed_returned, order=76)
