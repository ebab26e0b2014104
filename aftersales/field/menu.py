"""Field marketing joins the CRM's menu group (orders 80–99): the marketers and their managers work there."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from aftersales.organization.menu import Item, register_item  # noqa: F401

CRM = "crm"

# Targets (orders 80–83).
register_item(Item(CRM, _("Marketing plans"), "field:target-plan-list", permissions=("field.view_targetplan",),
                   order=80))
register_item(Item(CRM, _("My targets"), "field:my-targets", permissions=("field.view_targetplan",), order=81))

# Places, routes and tours (orders 84–89).
register_item(Item(CRM, _("Visit tours"), "field:tour-list", permissions=("field.view_tour",), order=84))
register_item(Item(CRM, _("Routes"), "field:route-list", permissions=("field.view_route",), order=85))
register_item(Item(CRM, _("Places"), "field:place-list", permissions=("field.view_place",), order=86))

# The marketer's day on the phone (orders 90–93).
register_item(Item(CRM, _("My tour today"), "field:today", permissions=("field.add_checkin",), order=90))

# Visit expenses (orders 94–99).
register_item(Item(CRM, _("My expenses"), "field:expense-mine", permissions=("field.add_visitexpense",), order=94))


def _sees_team_expenses(user) -> bool:
    from .selectors_expenses import sees_team

    return sees_team(user)


register_item(Item(CRM, _("Visit expenses"), "field:expense-list", permissions=("field.view_visitexpense",),
                   visible=_sees_team_expenses, order=95))
register_item(Item(CRM, _("Expenses awaiting approval"), "field:expense-queue",
                   permissions=("field.approve_visitexpense",), order=96))
