"""The reports, one module each; importing a module registers its report."""

from importlib import import_module

MODULES = ("receptions", "center_performance")


def load() -> None:
    for name in MODULES:
        import_module(f"{__name__}.{name}")
