from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import WAREHOUSE_BILLING, Item, register_item

register_item(Item(WAREHOUSE_BILLING, _("Stock"), "stock:levels", permissions=("stock.view_stocklevel",), order=20))
register_item(Item(WAREHOUSE_BILLING, _("Stock ledger"), "stock:ledger", permissions=("stock.view_stockmove",), order=30))
