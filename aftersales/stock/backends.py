"""The seam between the workshop and a stock system (issue 7's "ERPNext-ready").

Repairs and billing never touch stock tables; they call ``stock()``, which returns the backend named
by ``STOCK_BACKEND``. The built-in ``LocalStock`` keeps stock in this database. A site that runs
ERPNext would give a class with the same two methods that creates a Stock Entry "Material Issue" /
"Material Receipt" (``issue`` / ``give_back``) against the ERPNext warehouse mapped to ours (part
requests stay on the order's part lines here); it returns a ``Movement`` with ERPNext's document name
as ``reference`` and raises ``ValidationError`` for a shortage (from ERPNext's Bin), as here.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Movement:
    quantity: int  # negative out of the warehouse
    unit_cost: int  # rials, the average cost at the time
    reference: str  # the ledger row (or the other system's document) it was recorded as


class LocalStock:
    """Stock in this database: ``stock.services`` under row locks."""

    def issue(self, *, warehouse, spare_part, quantity: int, acting_user, reference: str) -> Movement:
        from .services import stock_issue

        move = stock_issue(warehouse=warehouse, spare_part=spare_part, quantity=quantity, acting_user=acting_user,
                           reference=reference)
        return Movement(quantity=move.quantity, unit_cost=move.unit_cost, reference=f"stock:{move.pk}")

    def give_back(self, *, warehouse, spare_part, quantity: int, unit_cost: int, acting_user, reference: str) -> Movement:
        from .services import stock_return

        move = stock_return(warehouse=warehouse, spare_part=spare_part, quantity=quantity, unit_cost=unit_cost,
                            acting_user=acting_user, reference=reference)
        return Movement(quantity=move.quantity, unit_cost=unit_cost, reference=f"stock:{move.pk}")


@cache
def _backend(path: str):
    return import_string(path)()


def stock():
    return _backend(settings.STOCK_BACKEND)
