from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import ADMINISTRATION, WAREHOUSE_BILLING, WORKSHOP, Item, register_item

register_item(Item(WORKSHOP, _("Reception"), "repairs:reception", permissions=("repairs.add_repairorder",), order=10))
register_item(Item(WORKSHOP, _("Cartable"), "repairs:cartable", permissions=("repairs.view_repairorder",), order=20))
register_item(Item(WORKSHOP, _("Repair orders"), "repairs:order-list", permissions=("repairs.view_repairorder",),
                   order=30))
register_item(Item(WAREHOUSE_BILLING, _("Part requests"), "repairs:parts-queue", permissions=("stock.add_stockmove",),
                   order=10))
register_item(Item(ADMINISTRATION, _("Performance"), "repairs:performance",
                   permissions=("repairs.view_repairorder", "repairs.override_warranty"), order=1))


def _books_or_makes_home_visits(user) -> bool:
    """Receptionists, technicians and managers: those who book home visits, make them or plan them."""
    from aftersales.organization.roles import Role

    return user.is_superuser or user.groups.filter(name__in=[
        Role.RECEPTIONIST, Role.TECHNICIAN, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER]).exists()


def _makes_home_visits(user) -> bool:
    from aftersales.organization.roles import Role

    return user.groups.filter(name=Role.TECHNICIAN).exists()


register_item(Item(WORKSHOP, _("Home visits schedule"), "repairs:schedule", permissions=("repairs.view_repairorder",),
                   visible=_books_or_makes_home_visits, order=40))
register_item(Item(WORKSHOP, _("My home visits today"), "repairs:schedule-today",
                   permissions=("repairs.view_repairorder",), visible=_makes_home_visits, order=41))
