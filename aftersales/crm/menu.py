from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import Group, Item, register_group, register_item  # noqa: F401

CRM = "crm"
register_group(Group(CRM, _("CRM"), 45))
register_item(Item(CRM, _("Stage board"), "crm:board", permissions=("crm.view_party",), order=30))
