"""The reports, one module each; importing a module registers its report."""

from importlib import import_module

MODULES = ("receptions", "center_performance", "services_given", "technicians", "stock_consumption", "failure_causes",
           "warranty_cost", "contacts", "field_visits")


def load() -> None:
    for name in MODULES:
        import_module(f"{__name__}.{name}")
