from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "aftersales.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        # Each part of sales wires its permissions, events, panels and signals in its own module.
        from . import setup_commission, setup_contracts, setup_coverage, setup_documents

        setup_documents.ready()
        setup_contracts.ready()
        setup_commission.ready()
        setup_coverage.ready()

        from aftersales.core.demo import register_seeder

        from .demo import seed_sales

        register_seeder("sales", seed_sales, order=72)
