from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitorsConfig(AppConfig):
    name = "aftersales.competitors"
    label = "competitors"
    verbose_name = _("Competitors")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.organization.roles import Role, grant_by_default

        from .demo import seed_competitors

        register_seeder("competitors", seed_competitors, order=40)
        from . import desk, importers  # noqa: F401
        from aftersales.desk import registry

        from .views import compare_link_panel

        for slug in ("competitors", "competitor-products", "product-models"):
            registry.get(slug).detail_panels.append(("competitors/partials/compare_link.html", compare_link_panel))

        models = ["competitor", "competitorproduct", "priceobservation"]
        for role in (Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER, Role.VISITOR, Role.CENTER_MANAGER):
            grant_by_default(role, *(f"competitors.view_{name}" for name in models))
        for role in (Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
            grant_by_default(role, *(f"competitors.{a}_{name}" for name in models for a in ("add", "change")))
        grant_by_default(Role.VISITOR, "competitors.add_priceobservation")
