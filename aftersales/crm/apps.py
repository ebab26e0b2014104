from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "aftersales.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.customers.signals import customer_merged
        from aftersales.organization.roles import Role, grant_by_default
        from aftersales.workflow.engine import register_subject

        from .models import Party
        from .services import party_fold_on_merge

        register_subject(Party, _("party (lead or customer)"))
        from .demo import seed_crm

        register_seeder("crm", seed_crm, order=75)
        customer_merged.connect(party_fold_on_merge, dispatch_uid="crm-party-merge")

        # A cheque sales saw returned lands on the drawer's credit (F45, F51).
        from aftersales.sales.signals import cheque_returned

        from .services import cheque_returned_receiver

        cheque_returned.connect(cheque_returned_receiver, dispatch_uid="crm-cheque-returned")

        marketers = (Role.MARKETING_MANAGER, Role.VISITOR, Role.CALL_CENTER_AGENT)
        managers = (Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER)
        for role in (*marketers, *managers, Role.CENTER_MANAGER):
            grant_by_default(role, "crm.view_party", "crm.view_script", "crm.view_appointment",
                             "crm.view_appointmentplan", "crm.view_creditassessment", "crm.view_dailyreport",
                             "crm.view_partytype", "crm.view_leadsource", "customers.view_customer")
        for role in (*marketers, *managers):
            grant_by_default(role, "crm.add_party", "crm.change_party", "crm.move_party", "crm.add_appointment",
                             "crm.change_appointment", "crm.add_dailyreport", "marketing.view_contact",
                             "marketing.add_contact", "customers.add_customer")
        for role in managers:
            grant_by_default(role, "crm.add_appointmentplan", "crm.change_appointmentplan",
                             "crm.add_creditassessment", "crm.comment_dailyreport", "crm.add_script", "crm.change_script",
                             "crm.add_partytype", "crm.change_partytype", "crm.add_leadsource", "crm.change_leadsource",
                             "customers.delete_customer", "customers.change_customer")
        grant_by_default(Role.ACCOUNTANT, "crm.view_party", "crm.view_creditassessment", "crm.add_creditassessment")
        grant_by_default(Role.CENTER_MANAGER, "crm.comment_dailyreport")

        # A script is found by its questions' words however they were written (the contact page, the scripts pages).
        from django.db.models.signals import post_delete, post_save

        from .models import ScriptQuestion
        from .services import script_search_refresh

        post_save.connect(script_search_refresh, sender=ScriptQuestion, dispatch_uid="crm-script-search-save")
        post_delete.connect(script_search_refresh, sender=ScriptQuestion, dispatch_uid="crm-script-search-delete")

        from .dashboard import register as dashboard_register

        dashboard_register()  # the cartable's reminders of next steps and appointments due today

        # The contact-time panel's link on every customer's page (F50).
        from aftersales.desk import registry

        from .views_panel import customer_panel_link

        registry.get("customers").detail_panels.append(("crm/partials/panel_link.html", customer_panel_link))

        # Lead or customer, the CRM stage and the credit status on every customer's page (F43, F45).
        from .views_parties import customer_crm_panel

        registry.get("customers").detail_panels.append(("crm/partials/party_customer_panel.html", customer_crm_panel))

        from . import desk, importers  # noqa: F401  the party types' and sources' lists, and the leads' Excel import
