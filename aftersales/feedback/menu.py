from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import CUSTOMERS, Item, register_item

register_item(Item(CUSTOMERS, _("Complaints"), "desk:list", args=("complaints",),
                   permissions=("feedback.view_complaint",), order=20))
register_item(Item(CUSTOMERS, _("Satisfaction"), "feedback:results", permissions=("feedback.view_survey",), order=30))
