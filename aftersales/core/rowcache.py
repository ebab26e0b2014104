"""Rows of reference tables read on every request of a hot path and edited rarely — the service center
and the product model a reception names (issue 21) — kept in this process for a minute.

Each read saves a round trip and the ORM's work on the path. A save or delete of such a row in this
process forgets its table's rows at once (the model's signals); other processes see an edit when their
copy expires, as with the messaging rules and the warranty policies. Only rows found are kept, so a
new row is found at once and an unknown id costs nothing to keep.
"""

from django.db.models.signals import post_delete, post_save

from .limits import ProcessCache

SECONDS = 60
_caches: dict[type, ProcessCache] = {}


def _cache(model) -> ProcessCache:
    cache = _caches.get(model)
    if cache is None:
        cache = _caches[model] = ProcessCache(seconds=SECONDS)
        label = model._meta.label_lower
        post_save.connect(cache.clear, sender=model, weak=False, dispatch_uid=f"rowcache-save-{label}")
        post_delete.connect(cache.clear, sender=model, weak=False, dispatch_uid=f"rowcache-delete-{label}")
    return cache


def row_cached(model, pk):
    """The row of ``model`` with primary key ``pk`` as read at most ``SECONDS`` ago here, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:  # no row has it; a bigint column would refuse to compare with it
        return None
    cache = _cache(model)
    row = cache.get(pk, lambda: model._default_manager.filter(pk=pk).first())
    if row is None:
        cache.forget(pk)
    return row


def row_caches_clear() -> None:
    """Forget every kept row (tests: ids repeat after each test's rollback)."""
    for cache in _caches.values():
        cache.clear()
