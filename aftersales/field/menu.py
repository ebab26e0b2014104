"""Field marketing joins the CRM's menu group (orders 80–99): the marketers and their managers work there."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from aftersales.organization.menu import Item, register_item  # noqa: F401

CRM = "crm"

# Targets (orders 80–83).

# Places, routes and tours (orders 84–89).

# The marketer's day on the phone (orders 90–93).
register_item(Item(CRM, _("My tour today"), "field:today", permissions=("field.add_checkin",), order=90))

# Visit expenses (orders 94–99).
