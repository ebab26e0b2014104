from django.db.models import F, QuerySet

from aftersales.core.search import search_filter
from aftersales.organization.scoping import scope_queryset

from .models import StockLevel, StockMove, Warehouse


def warehouses_for(user) -> QuerySet[Warehouse]:
    return scope_queryset(Warehouse.objects.filter(is_active=True).select_related("center"), user)


def warehouses_by_center(center_ids) -> dict[int, list[Warehouse]]:
    """The open warehouses of these centers by center, in one query (for pages with many issue forms)."""
    found: dict[int, list[Warehouse]] = {}
    for warehouse in Warehouse.objects.filter(center__in=set(center_ids), is_active=True).select_related("center"):
        found.setdefault(warehouse.center_id, []).append(warehouse)
    return found


def stock_levels(*, user, warehouse=None, query: str = "", short_only: bool = False) -> QuerySet[StockLevel]:
    """Stock per warehouse and part the user may see; ``short_only``: below the minimum (the shortage list)."""
    levels = scope_queryset(StockLevel.objects.select_related("warehouse__center", "spare_part"), user)
    if warehouse is not None:
        levels = levels.filter(warehouse=warehouse)
    if query:
        levels = search_filter(levels, query, field="spare_part__search_text")
    if short_only:
        levels = levels.filter(quantity__lt=F("minimum"))
    return levels.order_by("warehouse__name", "spare_part__code")


def stock_ledger(*, user, warehouse=None, spare_part=None, reference: str = "") -> QuerySet[StockMove]:
    moves = scope_queryset(StockMove.objects.select_related("warehouse", "spare_part", "by"), user)
    if warehouse is not None:
        moves = moves.filter(warehouse=warehouse)
    if spare_part is not None:
        moves = moves.filter(spare_part=spare_part)
    if reference:
        moves = moves.filter(reference=reference)
    return moves.order_by("-at", "-pk")
