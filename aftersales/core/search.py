from django.db.models import QuerySet

from .persian import search_key


def search_filter(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Keep the rows whose search text holds every word of ``query``, however it was typed."""
    for word in search_key(query).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
