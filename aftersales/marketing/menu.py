from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import CUSTOMERS, Item, register_item

register_item(Item(CUSTOMERS, _("Campaigns"), "marketing:campaign-list", permissions=("marketing.view_campaign",),
                   order=40))
