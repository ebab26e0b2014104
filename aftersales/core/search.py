from django.db.models import QuerySet

from .persian import search_key


def search_filter(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Keep the rows whose search text holds every word of ``query``, however it was typed.

    ZWNJ in the query counts as a space; a compound typed as one word is found in the compact copy of
    the search text (``persian.search_document``), so a name written with a ZWNJ, a space or neither
    is found by any of the three.
    """
    for word in search_key(query).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
