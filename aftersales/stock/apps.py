from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    name = "aftersales.stock"
    label = "stock"
    verbose_name = _("Warehouse and stock")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.organization.roles import Role, grant_by_default

        from . import desk  # noqa: F401
        from .demo import seed_stock

        register_seeder("stock", seed_stock, order=40)
        for role in (Role.WAREHOUSE_KEEPER, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.ACCOUNTANT,
                     Role.TECHNICIAN, Role.RECEPTIONIST):
            grant_by_default(role, "stock.view_warehouse", "stock.view_stocklevel", "stock.view_stockmove")
        for role in (Role.WAREHOUSE_KEEPER, Role.CENTER_MANAGER):
            grant_by_default(role, "stock.add_stockmove", "stock.change_stocklevel")
        for role in (Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER):
            grant_by_default(role, "stock.add_warehouse", "stock.change_warehouse")
