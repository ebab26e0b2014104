from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import WAREHOUSE_BILLING, Item, register_item


def _billing_or_workshop(user) -> bool:
    return user.has_perm("billing.view_invoice") or user.has_perm("billing.view_warrantyclaim") \
        or user.has_perm("repairs.change_repairorder")


register_item(Item(WAREHOUSE_BILLING, _("Invoices"), "billing:invoice-list", permissions=("billing.view_invoice",),
                   order=50))
register_item(Item(WAREHOUSE_BILLING, _("Warranty claims"), "billing:claim-list",
                   permissions=("billing.view_warrantyclaim",), order=60))
register_item(Item(WAREHOUSE_BILLING, _("Delivery documents"), "billing:delivery-list",
                   permissions=("billing.view_deliverydocument",), order=70))
register_item(Item(WAREHOUSE_BILLING, _("Technician statements"), "billing:statement", visible=_billing_or_workshop,
                   order=80))
