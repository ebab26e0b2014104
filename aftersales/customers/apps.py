from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "aftersales.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        from aftersales.core.demo import register_seeder

        from . import desk, importers  # noqa: F401  registers the pages and the Excel import
        from .demo import seed_customers

        register_seeder("customers", seed_customers, order=20)

        models = ["customer", "customergroup"]
        for role in Role:
            grant_by_default(role, *(f"customers.view_{name}" for name in models))
        for role in (Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER, Role.RECEPTIONIST, Role.CALL_CENTER_AGENT,
                     Role.MARKETING_MANAGER, Role.VISITOR):
            grant_by_default(role, "customers.add_customer", "customers.change_customer")
        for role in (Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
            grant_by_default(role, "customers.add_customergroup", "customers.change_customergroup",
                             "customers.delete_customer")
