"""Row-level scoping: a user sees the records of their own centers unless a role of theirs spans all.

Every list, detail, form, export and API endpoint takes its queryset through ``scope_queryset``
(the desk's selectors, the organization's selectors, the admin mixin below), so the rule lives in one place.
Models name the path to their center in ``scope_center_field`` ("center", "order__center", or "pk"
for the center itself).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


def spans_all_centers(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_spans_all_centers", None)
    if cached is None:
        cached = user.groups.filter(role_profile__spans_all_centers=True).exists()
        user._spans_all_centers = cached
    return cached


def center_ids(user) -> list[int]:
    cached = getattr(user, "_center_ids", None)
    if cached is None:
        cached = list(user.centers.values_list("pk", flat=True)) if user.is_authenticated else []
        user._center_ids = cached
    return cached


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """Return only the rows of ``queryset`` that ``user`` may see."""
    field = getattr(queryset.model, "scope_center_field", None)
    if field is None:
        raise ImproperlyConfigured(f"{queryset.model.__name__} has no scope_center_field")
    if spans_all_centers(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": center_ids(user)})


class CenterScopedAdminMixin:
    """For the admin: changelists, change forms and exports show only the user's centers."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

