from django.db.models import Count, QuerySet

from aftersales.core.search import search_filter

from .models import ServiceCenter
from .scoping import scope_queryset


def center_list(*, user, query: str = "", province: str = "") -> QuerySet[ServiceCenter]:
    """The centers ``user`` may see, filtered by a search box and a province."""
    centers = scope_queryset(ServiceCenter.objects.select_related("manager"), user)
    centers = search_filter(centers, query)
    if province:
        centers = centers.filter(province=province)
    # Meta.ordering is dropped by GROUP BY queries; keep pages stable.
    return centers.annotate(staff_count=Count("staff", distinct=True)).order_by("code")


def center_get(*, user, pk: int) -> ServiceCenter:
    """One center ``user`` may see; ``ServiceCenter.DoesNotExist`` for any other."""
    return scope_queryset(ServiceCenter.objects.select_related("manager"), user).get(pk=pk)


def center_provinces(*, user) -> list[str]:
    return list(
        scope_queryset(ServiceCenter.objects.all(), user).order_by("province").values_list("province", flat=True).distinct()
    )
