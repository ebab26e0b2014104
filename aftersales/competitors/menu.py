from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import ADMINISTRATION, Item, register_item

register_item(Item(ADMINISTRATION, _("Price comparison"), "competitors:compare",
                   permissions=("competitors.view_priceobservation",), order=20))
