"""Row-level scoping: a user sees the records of their own centers unless a role of theirs spans all.

Every list, detail, form, export and API endpoint takes its queryset through ``scope_queryset``
(the desk's selectors and forms, the organization's selectors, and every admin page through
``aftersales.core.rowscope``, which this app installs at start-up), so the rule lives in one place.
Models name the path to their center in ``scope_center_field`` ("center", "order__center", "pk"
for the center itself, "centers" for staff, who may work in several).
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
    if _is_many_valued(queryset.model, field):
        # A row reached through a many-valued path (a user in two centers) must come once.
        inner = queryset.model._default_manager.filter(**{f"{field}__in": center_ids(user)}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{f"{field}__in": center_ids(user)})


def _is_many_valued(model, path: str) -> bool:
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def check_center(user, center) -> None:
    """Refuse (PermissionDenied) a write that names or moves a record to a center not the user's.

    Pages, API and admin call it (through the scoped choices of their forms, or directly in
    services that take a center), so a center-bound user cannot create or move work into another
    center by posting its id.
    """
    from django.core.exceptions import PermissionDenied

    if center is None or spans_all_centers(user):
        return
    center_pk = getattr(center, "pk", center)
    if center_pk not in center_ids(user):
        raise PermissionDenied

