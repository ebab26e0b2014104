from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import Group, Item, register_group, register_item  # noqa: F401

SALES = "sales"
register_group(Group(SALES, _("Sales"), 46))

# Proformas, invoices, receipts and debts (orders 10–39).
register_item(Item(SALES, _("Proformas"), "sales:proforma-list", permissions=("sales.view_salesdocument",), order=10))
register_item(Item(SALES, _("New proforma"), "sales:proforma-new", permissions=("sales.add_salesdocument",), order=12))
register_item(Item(SALES, _("Sales invoices"), "sales:invoice-list", permissions=("sales.view_salesdocument",), order=20))
register_item(Item(SALES, _("Sales credit notes"), "sales:credit-list", permissions=("sales.view_salesdocument",),
                   order=24))
register_item(Item(SALES, _("Receivables"), "sales:receivables", permissions=("sales.view_receipt",), order=30))

# Contracts, cheques and alarms (orders 40–69).
register_item(Item(SALES, _("Contracts"), "sales:contract-list", permissions=("sales.view_contract",), order=40))
register_item(Item(SALES, _("New contract"), "sales:contract-create", permissions=("sales.add_contract",), order=42))
register_item(Item(SALES, _("Cheques"), "sales:cheque-list", permissions=("sales.view_cheque",), order=50))
register_item(Item(SALES, _("Receive a cheque"), "sales:cheque-receive", permissions=("sales.add_cheque",), order=52))
register_item(Item(SALES, _("My alarms"), "sales:alarm-list", permissions=("sales.view_alarm",), order=60))

# Agents and commission (orders 70–89).
register_item(Item(SALES, _("Agents"), "sales:agent-tree", permissions=("sales.view_agent",), order=70))
register_item(Item(SALES, _("Agents' commission"), "sales:commission-period",
                   permissions=("sales.view_commissionstatement",), order=74))
register_item(Item(SALES, _("Commission rules"), "sales:commission-rules", permissions=("sales.view_commissionrule",),
                   order=78))

# Service contracts' units (orders 90–99).
register_item(Item(SALES, _("Service contracts' units"), "sales:coverage-contracts",
                   permissions=("sales.view_contractunit",), order=90))
