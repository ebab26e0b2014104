from django.db.models import QuerySet

from aftersales.core.filters import Unmatchable, lookup_value
from aftersales.core.search import search_filter
from aftersales.organization.scoping import scope_queryset

from .registry import Resource


def record_list(*, resource: Resource, user, query: str = "", filters: dict | None = None,
                listing: bool = True) -> QuerySet:
    """The rows of a resource that ``user`` may see, searched and filtered; ``listing`` applies the
    resource's ``visible`` rule (a list, an export), which opening one record by its id does not."""
    records = resource.model._default_manager.all()
    if resource.hidden is not None:
        records = records.exclude(resource.hidden)
    if resource.select_related:
        records = records.select_related(*resource.select_related)
    if hasattr(resource.model, "scope_center_field"):
        records = scope_queryset(records, user)
    restricted = resource.visible(records, user, query) if listing and resource.visible is not None else None
    if restricted is not None:
        records, query = restricted, ""
    if query:
        if resource.search is not None:
            records = resource.search(records, query)
        elif hasattr(resource.model, "search_text"):
            records = search_filter(records, query)
        else:
            records = records.none()
    for name, value in (filters or {}).items():
        if name in resource.filter_fields and value not in ("", None):
            try:
                value = lookup_value(resource.model._meta.get_field(name), value)
            except Unmatchable:
                records = records.none()  # like an unknown id: a value no row can hold matches nothing
                break
            records = records.filter(**{name: value})
    return records.order_by(*(resource.ordering or resource.model._meta.ordering or ["pk"]))


def record_get(*, resource: Resource, user, pk) -> object:
    """One row ``user`` may see; ``DoesNotExist`` otherwise (pages answer 404)."""
    return record_list(resource=resource, user=user, listing=False).get(pk=pk)
