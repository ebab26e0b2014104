from django.db.models import Count, QuerySet

from aftersales.core.search import search_filter

from .models import ServiceCenter, User
from .scoping import scope_queryset, spans_all_centers


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


def dashboard_summary(*, user) -> dict:
    """What a user's dashboard shows: their roles, centers and the staff of those centers by role."""
    centers = scope_queryset(ServiceCenter.objects.all(), user)
    staff = User.objects.filter(is_active=True)
    if not spans_all_centers(user):
        staff = staff.filter(centers__in=centers)
    staff_by_role = (
        staff.filter(groups__isnull=False).values("groups__name").annotate(count=Count("pk", distinct=True)).order_by("groups__name")
    )
    return {
        "roles": list(user.groups.values_list("name", flat=True)),
        "my_centers": list(user.centers.order_by("code")),
        "center_count": centers.count(),
        "active_center_count": centers.filter(is_active=True).count(),
        "staff_by_role": [(row["groups__name"], row["count"]) for row in staff_by_role],
        "spans_all": spans_all_centers(user),
    }
