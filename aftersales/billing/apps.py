from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "aftersales.billing"
    label = "billing"
    verbose_name = _("Invoices and payments")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.organization.roles import Role, grant_by_default

        from . import importers  # noqa: F401  registers the Excel import of delivery documents
        from .demo import seed_billing

        register_seeder("billing", seed_billing, order=57)
        from aftersales.repairs.panels import register_history_facts

        from .history import order_invoice_facts

        register_history_facts(order_invoice_facts)

        for role in (Role.ACCOUNTANT, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.RECEPTIONIST):
            grant_by_default(role, "billing.view_invoice", "billing.view_payment", "billing.view_deliverydocument")
        for role in (Role.ACCOUNTANT, Role.CENTER_MANAGER, Role.RECEPTIONIST):
            grant_by_default(role, "billing.add_invoice", "billing.add_payment", "billing.add_deliverydocument")
        for role in (Role.ACCOUNTANT, Role.CENTER_MANAGER):
            grant_by_default(role, "billing.credit_invoice", "billing.view_warrantyclaim")
        grant_by_default(Role.HEAD_OFFICE_MANAGER, "billing.view_warrantyclaim", "billing.review_warrantyclaim")
