"""Demo data is built by seeders that each app registers; ``seed_demo`` runs them in order.

A seeder takes ``size`` ("small" or "large") and a seeded ``random.Random`` and returns a line
for the console; it must do nothing when its data is already there.
"""

from collections.abc import Callable

_SEEDERS: list[tuple[int, str, Callable]] = []


def register_seeder(name: str, seeder: Callable, order: int = 100) -> None:
    if all(existing != name for _order, existing, _seeder in _SEEDERS):
        _SEEDERS.append((order, name, seeder))


def seeders() -> list[tuple[str, Callable]]:
    return [(name, seeder) for _order, name, seeder in sorted(_SEEDERS, key=lambda item: (item[0], item[1]))]
