from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import WARRANTY, Item, register_item

register_item(Item(WARRANTY, _("Warranty check"), "warranty-check", order=10))
register_item(Item(WARRANTY, _("Warranty cards of a batch"), "warranty:batch",
                   permissions=("warranty.add_warrantycard",), order=20))
