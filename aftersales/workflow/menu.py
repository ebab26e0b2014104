from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import ADMINISTRATION, Item, register_item

register_item(Item(ADMINISTRATION, _("Workflows"), "workflow:list", permissions=("workflow.change_workflow",), order=20))
