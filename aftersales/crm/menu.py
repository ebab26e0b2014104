from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import Group, Item, register_group, register_item  # noqa: F401

CRM = "crm"
register_group(Group(CRM, _("CRM"), 45))
register_item(Item(CRM, _("My day"), "crm:day", permissions=("crm.view_party",), order=20))
register_item(Item(CRM, _("Appointments"), "crm:appointment-calendar", permissions=("crm.view_appointment",),
                   order=60))
register_item(Item(CRM, _("Plan vs done"), "crm:plan-progress", permissions=("crm.view_appointmentplan",), order=62))
register_item(Item(CRM, _("Daily reports"), "crm:report-list", permissions=("crm.comment_dailyreport",), order=64))
register_item(Item(CRM, _("Stage board"), "crm:board", permissions=("crm.view_party",), order=30))
register_item(Item(CRM, _("Leads and customers"), "crm:party-list", permissions=("crm.view_party",), order=10))
register_item(Item(CRM, _("New lead"), "crm:lead-create", permissions=("crm.add_party", "customers.add_customer"),
                   order=12))
register_item(Item(CRM, _("Who is calling"), "crm:caller-search", permissions=("customers.view_customer",), order=14))
register_item(Item(CRM, _("Log a contact"), "crm:contact-log", permissions=("marketing.add_contact",), order=16))
register_item(Item(CRM, _("Q&A scripts"), "crm:script-list", permissions=("crm.change_script",), order=70))
