from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "aftersales.catalog"
    label = "catalog"
    verbose_name = _("Products and serials")

    def ready(self):
        from aftersales.organization.roles import Role, grant_by_default

        from aftersales.core.demo import register_seeder

        from . import desk, importers  # noqa: F401  registers the pages and the Excel imports
        from .demo import seed_catalog

        register_seeder("catalog", seed_catalog, order=10)
        from django.db.models.signals import post_delete

        from .tallies import unit_deleted

        post_delete.connect(unit_deleted, sender="catalog.ProductUnit", dispatch_uid="catalog-units-sold-deleted")

        models = ["productgroup", "brand", "productmodel", "componenttype", "sparepart", "productunit", "unitevent",
                  "serviceitem", "faultcode", "modelprice"]
        for role in Role:
            grant_by_default(role, *(f"catalog.view_{name}" for name in models))
        for role in (Role.HEAD_OFFICE_MANAGER,):
            grant_by_default(role, *(f"catalog.{action}_{name}" for name in models for action in ("add", "change")))
        grant_by_default(Role.WAREHOUSE_KEEPER, "catalog.add_sparepart", "catalog.change_sparepart")
        grant_by_default(Role.CENTER_MANAGER, "catalog.add_productunit")
