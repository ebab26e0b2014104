from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import Group, Item, register_group, register_item  # noqa: F401

SALES = "sales"
register_group(Group(SALES, _("Sales"), 44))

# Proformas, invoices, receipts and debts (orders 10–39).

# Contracts, cheques and alarms (orders 40–69).

# Agents and commission (orders 70–89).

# Service contracts' units (orders 90–99).
register_item(Item(SALES, _("Service contracts' units"), "sales:coverage-contracts",
                   permissions=("sales.view_contractunit",), order=90))
