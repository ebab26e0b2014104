from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "aftersales.warranty"
    label = "warranty"
    verbose_name = _("Warranty")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.organization.roles import Role, grant_by_default

        from django.db.models.signals import post_delete, post_save

        from .demo import seed_warranty

        register_seeder("warranty", seed_warranty, order=45)

        from aftersales.desk import registry
        from aftersales.messaging.events import register_event

        register_event("warranty_activated", _("warranty activated"),
                       variables=("customer_name", "serial", "product", "card_number", "date", "link"))
        register_event("warranty_activation_code", _("warranty activation code requested"), variables=("code", "serial"))
        register_event("periodic_service_due", _("periodic service due soon"),
                       variables=("customer_name", "product", "serial", "date", "amount"))

        from . import desk  # noqa: F401
        from .views import unit_panel

        from .search import extend_unit_search, lookups_register

        units = registry.get("units")
        units.detail_panels.append(("warranty/partials/unit_warranty.html", unit_panel))
        units.search = extend_unit_search(units.search)
        lookups_register()  # the card number in the unit lookup; a unit's numbers find its owner

        from aftersales.organization.dashboard import Panel, register_panel

        def dashboard_context(user):
            from .selectors import periodic_services_due

            return {"can_issue": user.has_perm("warranty.add_warrantycard"),
                    "due_soon": periodic_services_due(within_days=7).count()}

        register_panel(Panel("warranty", "warranty/partials/dashboard_panel.html", dashboard_context,
                             roles=frozenset({Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER,
                                              Role.RECEPTIONIST, Role.CALL_CENTER_AGENT}), order=50))
        from .models import ComponentTerm, ModelWarranty, PolicyVersion
        from .status import policy_cache_clear

        for model in (ComponentTerm, ModelWarranty, PolicyVersion):
            post_save.connect(policy_cache_clear, sender=model, dispatch_uid=f"warranty_cache_{model.__name__}")
            post_delete.connect(policy_cache_clear, sender=model, dispatch_uid=f"warranty_cache_del_{model.__name__}")

        models = ["warrantypolicy", "policyversion", "modelwarranty", "warrantycard", "warrantyvoid"]
        for role in Role:
            grant_by_default(role, *(f"warranty.view_{name}" for name in models))
        grant_by_default(Role.HEAD_OFFICE_MANAGER, *(f"warranty.{a}_{name}" for name in models for a in ("add", "change")))
        for role in (Role.CENTER_MANAGER, Role.RECEPTIONIST, Role.CALL_CENTER_AGENT):
            grant_by_default(role, "warranty.add_warrantycard", "warranty.change_warrantycard")
        for role in (Role.CENTER_MANAGER, Role.TECHNICIAN):
            grant_by_default(role, "warranty.add_warrantyvoid", "warranty.change_periodicservice")
        for role in Role:
            grant_by_default(role, "warranty.view_periodicservice")
