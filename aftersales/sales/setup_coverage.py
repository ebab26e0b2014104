"""What the service-contract coverage part of sales registers when the app is ready: its permissions, the
unit lookup by contract number, and its panels at reception, on repair orders and on units' pages (F25)."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from aftersales.catalog.lookup import register_finder
    from aftersales.desk import registry
    from aftersales.organization.roles import Role, grant_by_default
    from aftersales.repairs.panels import register_order_panel
    from aftersales.repairs.reception import register_coverage_panel

    from .selectors_coverage import contract_candidates_select, units_by_contract_number
    from .views_coverage import order_coverage, reception_coverage, unit_coverage_panel

    viewers = (Role.RECEPTIONIST, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.ACCOUNTANT)
    for role in viewers:
        grant_by_default(role, "sales.view_contractunit")
    # Reception counts the visit a unit under contract came for; managers and accountants keep the list.
    for role in (Role.RECEPTIONIST, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER):
        grant_by_default(role, "sales.change_contractunit")
    for role in (Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.ACCOUNTANT):
        grant_by_default(role, "sales.add_contractunit", "sales.delete_contractunit", "sales.change_contractunit")

    # Serve by contract number: the number typed at reception lists the units the contract covers.
    register_finder("service_contract", _("service contract no."), select=contract_candidates_select,
                    then=units_by_contract_number, order=30)
    register_coverage_panel("sales/partials/coverage_reception.html", reception_coverage)
    register_order_panel("sales/partials/coverage_order.html", order_coverage)
    registry.get("units").detail_panels.append(("sales/partials/coverage_unit.html", unit_coverage_panel))
